#include "value_maker.hpp"

#include "demo_schema.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace crm::demo {

namespace {

using namespace std::string_view_literals;

constexpr std::array k_first_names{"Anna"sv,   "Zoë"sv,    "José"sv,  "Łukasz"sv, "Søren"sv,  "美咲"sv,  "Mohammed"sv,
                                   "Priya"sv,  "O'Neil"sv, "Chloé"sv, "Jürgen"sv, "Amara"sv,  "Björn"sv, "Hiro"sv,
                                   "Fatima"sv, "Liam"sv,   "Emma"sv,  "Noah"sv,   "Olivia"sv, "Mateo"sv};
constexpr std::array k_last_names{"Smith"sv,    "Müller"sv,    "García"sv, "O\"Brien"sv, "Nguyen"sv,       "田中"sv,
                                  "Kowalski"sv, "Johansson"sv, "Rossi"sv,  "Dubois"sv,   "van der Berg"sv, "Okafor"sv,
                                  "Silva"sv,    "Kim"sv,       "Patel"sv,  "Novak"sv};
constexpr std::array k_companies{"Acme, Inc."sv,        "Globex Corporation"sv,
                                 "Initech"sv,           "Umbrella \"Health\" Co"sv,
                                 "東京 Trading KK"sv,   "Zoë's Bakery"sv,
                                 "Soylent, Ltd."sv,     "Stark Industries"sv,
                                 "Wayne Enterprises"sv, "Hooli"sv,
                                 "Café Münster GmbH"sv, "Vandelay Industries 🚀"sv};
constexpr std::array k_words{"quarterly"sv, "renewal"sv,  "follow-up"sv, "demo"sv,     "pricing"sv, "onboarding"sv,
                             "urgent"sv,    "contract"sv, "migration"sv, "workshop"sv, "support"sv, "review"sv};
constexpr std::array k_cities{"Boston"sv, "東京"sv,  "São Paulo"sv, "Zürich"sv, "Kraków"sv, "Dublin"sv,
                              "Berlin"sv, "Paris"sv, "Lagos"sv,     "Austin"sv, "Sydney"sv, "Montréal"sv};
constexpr std::array k_countries{"United States"sv, "Japan"sv,   "Brazil"sv, "Switzerland"sv, "Poland"sv,
                                 "Ireland"sv,       "Germany"sv, "France"sv, "Nigeria"sv,     "Canada"sv};
constexpr std::array k_notes{"Called twice, no answer."sv,
                             "Asked for a quote: 3 seats, annual billing, \"ASAP\"."sv,
                             "Met at the trade show.\r\nWants a demo next week.\r\nBudget approved, pending legal."sv,
                             "Prefers email.\nDo not call before 10:00."sv,
                             "Renewal at risk 😬 — champion left the company, new contact is Zoë."sv,
                             "Notes from 東京 office: follow up in Japanese, please."sv,
                             "Line one, with a comma\r\nline two, with \"quotes\"\r\n"sv,
                             "Great call! 🎉"sv};
constexpr std::array k_phone_formats{"+1 617-555-{:04}"sv, "+44 20 7946 {:04}"sv, "+81 3-5555-{:04}"sv,
                                     "+49 30 5555{:04}"sv};

template <typename T, std::size_t N> std::string_view pick(Random& random, const std::array<T, N>& items)
{
  return items[random.below(N)];
}

bool has(std::string_view name, std::string_view part) { return name.find(part) != std::string_view::npos; }

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day)
{
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  year = static_cast<int>(year_of_era + era * 400) + (month <= 2 ? 1 : 0);
}

// 2015-01-01 .. 2025-12-31
constexpr std::int64_t k_first_day = 16436;
constexpr std::int64_t k_last_day = 20453;

}  // namespace

ValueMaker::ValueMaker(const store::ObjectType& type)
{
  using store::PropertyType;
  bool is_first = true;
  for (const auto& property : type.properties) {
    const std::string_view name = property.name;
    Kind kind = Kind::words;
    switch (property.type) {
    case PropertyType::number:
      kind = has(name, "amount") || has(name, "revenue") || has(name, "price") || has(name, "cost") ? Kind::money
             : has(name, "year")                                                                    ? Kind::year
                                                                                                    : Kind::count;
      break;
    case PropertyType::date: kind = Kind::date; break;
    case PropertyType::datetime: kind = Kind::datetime; break;
    case PropertyType::enumeration: kind = is_multi_select(property) ? Kind::multi_choice : Kind::choice; break;
    case PropertyType::boolean: kind = Kind::boolean; break;
    case PropertyType::phone_number: kind = Kind::phone; break;
    case PropertyType::string:
      kind = name == "firstname" || name == "pet_name"                         ? Kind::first_name
             : name == "lastname"                                              ? Kind::last_name
             : name == "email"                                                 ? Kind::email
             : name == "company" || name == "name"                             ? Kind::company
             : has(name, "domain") || has(name, "website") || has(name, "url") ? Kind::url
             : name == "address"                                               ? Kind::address
             : name == "city"                                                  ? Kind::city
             : name == "country"                                               ? Kind::country
             : has(name, "notes") || has(name, "body") || has(name, "description") || has(name, "content") ||
                     has(name, "message")
                 ? Kind::notes
             : has(name, "subject") || has(name, "title") || has(name, "dealname") ? Kind::title
                                                                                   : Kind::words;
      break;
    }
    // The first property names the record and email identifies a contact:
    // always set. Everything else is sometimes empty, as in real accounts.
    m_columns.push_back(Column{kind, &property, !is_first && kind != Kind::email});
    is_first = false;
  }
}

void ValueMaker::make_row(Random& random, store::RecordId id, std::vector<std::string>& values) const
{
  values.resize(m_columns.size());
  for (std::size_t index = 0; index < m_columns.size(); ++index) {
    values[index].clear();
    if (m_columns[index].may_be_empty && random.chance(12))
      continue;
    make_value(random, id, m_columns[index], values[index]);
  }
}

void ValueMaker::make_value(Random& random, store::RecordId id, const Column& column, std::string& value) const
{
  auto out = std::back_inserter(value);
  switch (column.kind) {
  case Kind::first_name: value = pick(random, k_first_names); break;
  case Kind::last_name: value = pick(random, k_last_names); break;
  case Kind::email: fmt::format_to(out, "user{}@{}.example.com", id, pick(random, k_words)); break;
  case Kind::company: value = pick(random, k_companies); break;
  case Kind::title: fmt::format_to(out, "{} {} #{}", pick(random, k_words), pick(random, k_words), id); break;
  case Kind::url:
    fmt::format_to(out, "https://www.{}-{}.example.com", pick(random, k_words), random.below(1000));
    break;
  case Kind::address: fmt::format_to(out, "{} Main St, Suite {}", random.between(1, 999), random.between(1, 50)); break;
  case Kind::city: value = pick(random, k_cities); break;
  case Kind::country: value = pick(random, k_countries); break;
  case Kind::notes: value = pick(random, k_notes); break;
  case Kind::words: fmt::format_to(out, "{} {}", pick(random, k_words), pick(random, k_words)); break;
  case Kind::money: fmt::format_to(out, "{}.{:02}", random.between(100, 250000), random.below(100)); break;
  case Kind::count: fmt::format_to(out, "{}", random.between(0, 5000)); break;
  case Kind::year: fmt::format_to(out, "{}", random.between(1950, 2024)); break;
  case Kind::date:
  case Kind::datetime: {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civil_from_days(random.between(k_first_day, k_last_day), year, month, day);
    if (column.kind == Kind::date)
      fmt::format_to(out, "{:04}-{:02}-{:02}", year, month, day);
    else
      fmt::format_to(out, "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, month, day, random.below(24),
                     random.below(60), random.below(60), random.below(1000));
    break;
  }
  case Kind::choice: value = column.property->options[random.below(column.property->options.size())]; break;
  case Kind::multi_choice: {
    const auto& options = column.property->options;
    // A random non-empty subset, in option order, joined by ';'.
    const auto mask = 1 + random.below((1ULL << options.size()) - 1);
    for (std::size_t index = 0; index < options.size(); ++index) {
      if (mask & (1ULL << index)) {
        if (!value.empty())
          value += ';';
        value += options[index];
      }
    }
    break;
  }
  case Kind::boolean: value = random.chance(50) ? "true" : "false"; break;
  case Kind::phone: fmt::format_to(out, fmt::runtime(pick(random, k_phone_formats)), random.below(10000)); break;
  }
}

}  // namespace crm::demo
