#include "crm/base/lowercase.hpp"

namespace crm {

std::string lowercase(std::string_view text)
{
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

}  // namespace crm
