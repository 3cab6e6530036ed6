#include "storage/multi_row.hpp"

#include <stdexcept>

namespace sesv2mock::storage {

std::string multi_row_values(std::string_view group, int shared, int per_row, int rows) {
  std::string out = "VALUES ";
  out.reserve(7 + static_cast<std::size_t>(rows) * (group.size() + 16));
  for (int r = 0; r < rows; ++r) {
    if (r > 0)
      out += ", ";
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (group[i] != '#') {
        out += group[i];
        continue;
      }
      if (i + 1 >= group.size() || group[i + 1] < '0' || group[i + 1] > '9')
        throw std::invalid_argument("multi_row_values: '#' without a digit");
      const int k = group[++i] - '0';
      if (k >= per_row)
        throw std::invalid_argument("multi_row_values: #" + std::to_string(k) + " past per_row");
      out += '?';
      out += std::to_string(row_parameter(shared, per_row, r, k));
    }
  }
  return out;
}

}  // namespace sesv2mock::storage
