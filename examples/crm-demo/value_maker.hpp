#pragma once
// Makes realistic property values for demo records, in HubSpot's text forms:
// names with commas, quotes and non-ASCII text ("Zoë", "東京", emoji), notes
// with CR/LF line breaks, ';'-joined multi-select values, empty values. The
// same Random state always gives the same values.

#include "random.hpp"

#include <crm/store/model.hpp>

#include <string>
#include <vector>

namespace crm::demo {

class ValueMaker {
public:
  explicit ValueMaker(const store::ObjectType& type);

  // Fills `values` (one per property of the type, reused between calls).
  void make_row(Random& random, store::RecordId id, std::vector<std::string>& values) const;

private:
  enum class Kind {
    first_name,
    last_name,
    email,
    company,
    title,
    url,
    address,
    city,
    country,
    notes,
    words,
    money,
    count,
    year,
    date,
    datetime,
    choice,
    multi_choice,
    boolean,
    phone
  };
  struct Column {
    Kind kind;
    const store::Property* property;
    bool may_be_empty;
  };
  void make_value(Random& random, store::RecordId id, const Column& column, std::string& value) const;

  std::vector<Column> m_columns;
};

}  // namespace crm::demo
