#include <crm/base/error.hpp>
#include <crm/store/scan_cursor.hpp>

#include <catch2/catch.hpp>

using namespace crm;
using namespace crm::store;

namespace {

ScanCursor::Scan counting_scan(store::RecordId last, store::RecordId* emitted = nullptr)
{
  return [last, emitted](const crm::store::RecordFn& emit) {
    for (store::RecordId id = 1; id <= last; ++id) {
      const std::string value = std::to_string(id * 10);
      const std::string_view values[] = {value};
      emit(id, values);
      if (emitted != nullptr)
        *emitted = id;
    }
  };
}

}  // namespace

TEST_CASE("ScanCursor hands over every row of a scan, in order", "[store][threads]")
{
  ScanCursor cursor(counting_scan(10000), 7, 2);
  store::RecordId expected = 1;
  for (const ScannedRow* row = cursor.current(); row != nullptr; row = cursor.current()) {
    REQUIRE(row->id == expected);
    REQUIRE(row->values.at(0) == std::to_string(expected * 10));
    ++expected;
    cursor.advance();
  }
  CHECK(expected == 10001);
}

TEST_CASE("ScanCursor stops the scan when dropped early, holding only a few batches", "[store][threads]")
{
  store::RecordId emitted = 0;
  {
    ScanCursor cursor(counting_scan(1000000, &emitted), 10, 2);
    REQUIRE(cursor.current() != nullptr);
    CHECK(cursor.current()->id == 1);
  }
  CHECK(emitted < 100);
}

TEST_CASE("ScanCursor passes the scan's error on to the reader", "[store][threads]")
{
  ScanCursor cursor([](const crm::store::RecordFn&) { throw Error(ErrorKind::io, "disk gone"); });
  try {
    cursor.current();
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::io);
  }
}
