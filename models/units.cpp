#include "models/units.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace prepsim {
namespace {

struct Unit {
  std::string_view name;
  double factor;  // to SI
};

constexpr double kMinute = 60.0, kHour = 3600.0, kDay = 86400.0, kYear = 365.0 * kDay;

constexpr std::array kSize = {Unit{"B", 1}, Unit{"KB", 1e3}, Unit{"kB", 1e3}, Unit{"MB", 1e6}, Unit{"GB", 1e9},
                              Unit{"TB", 1e12}, Unit{"PB", 1e15}, Unit{"KiB", 1024.0},
                              Unit{"MiB", 1048576.0}, Unit{"GiB", 1073741824.0},
                              Unit{"TiB", 1099511627776.0}, Unit{"PiB", 1125899906842624.0}};
constexpr std::array kRate = {
    Unit{"B/s", 1}, Unit{"KB/s", 1e3}, Unit{"kB/s", 1e3}, Unit{"MB/s", 1e6}, Unit{"GB/s", 1e9},
    Unit{"TB/s", 1e12}, Unit{"KiB/s", 1024.0}, Unit{"MiB/s", 1048576.0}, Unit{"GiB/s", 1073741824.0},
    Unit{"Bps", 1}, Unit{"KBps", 1e3}, Unit{"MBps", 1e6}, Unit{"GBps", 1e9}, Unit{"TBps", 1e12},
    Unit{"KiBps", 1024.0}, Unit{"MiBps", 1048576.0}, Unit{"GiBps", 1073741824.0},
    Unit{"bps", 1.0 / 8}, Unit{"Kbps", 1e3 / 8}, Unit{"kbps", 1e3 / 8}, Unit{"Mbps", 1e6 / 8},
    Unit{"Gbps", 1e9 / 8}, Unit{"Tbps", 1e12 / 8}};
constexpr std::array kTime = {Unit{"ns", 1e-9}, Unit{"us", 1e-6}, Unit{"ms", 1e-3}, Unit{"s", 1},
                              Unit{"min", kMinute}, Unit{"h", kHour}, Unit{"d", kDay}, Unit{"w", 7 * kDay},
                              Unit{"y", kYear}};
constexpr std::array kPower = {Unit{"mW", 1e-3}, Unit{"W", 1}, Unit{"kW", 1e3}, Unit{"MW", 1e6}};
constexpr std::array kEnergy = {Unit{"J", 1}, Unit{"kJ", 1e3}, Unit{"MJ", 1e6}, Unit{"Wh", kHour},
                                Unit{"kWh", 1e3 * kHour}, Unit{"MWh", 1e6 * kHour}};
constexpr std::array kFrequency = {Unit{"Hz", 1}, Unit{"kHz", 1e3}, Unit{"MHz", 1e6}, Unit{"GHz", 1e9}};
constexpr std::array kCount = {Unit{"", 1}, Unit{"K", 1e3}, Unit{"M", 1e6}, Unit{"G", 1e9}, Unit{"T", 1e12}};
constexpr std::array kRatio = {Unit{"", 1}};
// Denominators of "$x/<unit>".
constexpr std::array kPerTime = {Unit{"s", 1}, Unit{"min", kMinute}, Unit{"h", kHour}, Unit{"d", kDay},
                                 Unit{"y", kYear}};
constexpr std::array kPerEnergy = {Unit{"J", 1}, Unit{"kJ", 1e3}, Unit{"Wh", kHour}, Unit{"kWh", 1e3 * kHour},
                                   Unit{"MWh", 1e6 * kHour}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "12.5 GB/s" into 12.5 and "GB/s". Commas between digits ("9,000") are allowed.
std::pair<double, std::string_view> split_number(std::string_view text, std::string_view original, Dim dim) {
  std::string digits;
  std::size_t i = 0;
  auto is_num_char = [&](char c, std::size_t pos) {
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return true;
    if ((c == '-' || c == '+') && (pos == 0 || text[pos - 1] == 'e' || text[pos - 1] == 'E')) return true;
    if ((c == 'e' || c == 'E') && pos > 0 && pos + 1 < text.size() &&
        (std::isdigit(static_cast<unsigned char>(text[pos + 1])) || text[pos + 1] == '-' || text[pos + 1] == '+'))
      return true;
    if (c == ',' && pos > 0 && pos + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[pos - 1])) &&
        std::isdigit(static_cast<unsigned char>(text[pos + 1])))
      return true;
    return false;
  };
  while (i < text.size() && is_num_char(text[i], i)) {
    if (text[i] != ',') digits += text[i];
    ++i;
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(value)) {
    throw UnitError(fmt::format("'{}' is not a {} (expected a number followed by one of: {})", original,
                                to_string(dim), valid_units(dim)));
  }
  return {value, trim(text.substr(i))};
}

template <std::size_t N>
const Unit* find_unit(const std::array<Unit, N>& units, std::string_view name) {
  for (const Unit& u : units) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

template <std::size_t N>
double apply(const std::array<Unit, N>& units, std::string_view text, Dim dim) {
  auto [value, unit] = split_number(text, text, dim);
  const Unit* u = find_unit(units, unit);
  if (u == nullptr) {
    if (unit.empty()) {
      throw UnitError(fmt::format("'{}' has no unit; a {} needs one of: {}", text, to_string(dim),
                                  valid_units(dim)));
    }
    throw UnitError(fmt::format("'{}' has unit '{}', which is not a unit of {} (valid: {})", text, unit,
                                to_string(dim), valid_units(dim)));
  }
  return value * u->factor;
}

double parse_money_like(std::string_view text, Dim dim) {
  if (text.empty() || text.front() != '$') {
    throw UnitError(fmt::format("'{}' is not a {}: write it with a leading '$' (valid: {})", text, to_string(dim),
                                valid_units(dim)));
  }
  std::string_view rest = trim(text.substr(1));
  std::string_view per;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    per = trim(rest.substr(slash + 1));
    rest = trim(rest.substr(0, slash));
  }
  auto [value, suffix] = split_number(rest, text, dim);
  const Unit* mult = find_unit(kCount, suffix);
  if (mult == nullptr) {
    throw UnitError(fmt::format("'{}': '{}' is not a multiplier (valid: K, M, G)", text, suffix));
  }
  value *= mult->factor;
  if (dim == Dim::Money) {
    if (!per.empty()) {
      throw UnitError(fmt::format("'{}' is a rate; a {} is a plain amount such as $1,200", text, to_string(dim)));
    }
    return value;
  }
  const Unit* den = dim == Dim::MoneyRate ? find_unit(kPerTime, per) : find_unit(kPerEnergy, per);
  if (den == nullptr) {
    throw UnitError(fmt::format("'{}' is not a {} (valid: {})", text, to_string(dim), valid_units(dim)));
  }
  return value / den->factor;
}

}  // namespace

std::string_view to_string(Dim dim) {
  switch (dim) {
    case Dim::Size: return "size";
    case Dim::Rate: return "rate";
    case Dim::Time: return "time";
    case Dim::Power: return "power";
    case Dim::Energy: return "energy";
    case Dim::Money: return "money amount";
    case Dim::MoneyRate: return "price per time";
    case Dim::EnergyPrice: return "energy price";
    case Dim::Frequency: return "frequency";
    case Dim::Count: return "count";
    case Dim::Ratio: return "ratio";
  }
  return "?";
}

std::string_view valid_units(Dim dim) {
  switch (dim) {
    case Dim::Size: return "B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB";
    case Dim::Rate: return "B/s, KB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s, Bps, GBps, bps, Kbps, Mbps, Gbps, Tbps";
    case Dim::Time: return "ns, us, ms, s, min, h, d, w, y";
    case Dim::Power: return "mW, W, kW, MW";
    case Dim::Energy: return "J, kJ, MJ, Wh, kWh, MWh";
    case Dim::Money: return "$<amount>, e.g. $1,200 or $1.2K";
    case Dim::MoneyRate: return "$<amount>/s, /min, /h, /d, /y";
    case Dim::EnergyPrice: return "$<amount>/J, /kJ, /Wh, /kWh, /MWh";
    case Dim::Frequency: return "Hz, kHz, MHz, GHz";
    case Dim::Count: return "a number, optionally with K, M, G or T";
    case Dim::Ratio: return "a plain number";
  }
  return "?";
}

namespace {

double parse_unchecked(std::string_view text, Dim dim) {
  switch (dim) {
    case Dim::Size: return apply(kSize, text, dim);
    case Dim::Rate: return apply(kRate, text, dim);
    case Dim::Time: return apply(kTime, text, dim);
    case Dim::Power: return apply(kPower, text, dim);
    case Dim::Energy: return apply(kEnergy, text, dim);
    case Dim::Frequency: return apply(kFrequency, text, dim);
    case Dim::Count: return apply(kCount, text, dim);
    case Dim::Ratio: return apply(kRatio, text, dim);
    case Dim::Money:
    case Dim::MoneyRate:
    case Dim::EnergyPrice: return parse_money_like(text, dim);
  }
  throw UnitError("unknown dimension");
}

struct Limit {
  double si;
  const char* text;
};

Limit limit_of(Dim dim) {
  switch (dim) {
    case Dim::Size: return {1e18, "1e18 B (1 EB)"};
    case Dim::Rate: return {1e15, "1 PB/s"};
    case Dim::Time: return {1000 * kYear, "1000y"};
    case Dim::Power: return {1e9, "1 GW"};
    case Dim::Energy: return {1e18, "1e18 J"};
    case Dim::Money: return {1e12, "$1T"};
    case Dim::MoneyRate: return {1e6, "$1M/s"};
    case Dim::EnergyPrice: return {1e3 / (1e3 * kHour), "$1000/kWh"};
    case Dim::Frequency: return {1e12, "1 THz"};
    case Dim::Count: return {1e18, "1e18"};
    case Dim::Ratio: return {1e18, "1e18"};
  }
  return {0, "0"};
}

}  // namespace

double max_magnitude(Dim dim) { return limit_of(dim).si; }

double parse_quantity(std::string_view text_in, Dim dim) {
  std::string_view text = trim(text_in);
  double v = parse_unchecked(text, dim);
  // The number was finite; its unit may still carry it past what any input means (or past infinity: 1e308T).
  if (!std::isfinite(v) || std::fabs(v) > max_magnitude(dim)) {
    throw UnitError(fmt::format("'{}' is out of range: a {} is at most {} in magnitude", text, to_string(dim),
                                limit_of(dim).text));
  }
  return v;
}

std::string format_quantity(double v, Dim dim) {
  auto scaled = [v](std::initializer_list<std::pair<double, const char*>> steps) {
    for (auto [factor, name] : steps) {
      if (std::fabs(v) >= factor) return fmt::format("{:.4g} {}", v / factor, name);
    }
    auto last = *(steps.end() - 1);
    return fmt::format("{:.4g} {}", v / last.first, last.second);
  };
  switch (dim) {
    case Dim::Size: return scaled({{1e12, "TB"}, {1e9, "GB"}, {1e6, "MB"}, {1e3, "KB"}, {1, "B"}});
    case Dim::Rate: return scaled({{1e12, "TB/s"}, {1e9, "GB/s"}, {1e6, "MB/s"}, {1e3, "KB/s"}, {1, "B/s"}});
    case Dim::Time: return scaled({{kHour, "h"}, {1, "s"}, {1e-3, "ms"}, {1e-6, "us"}, {1e-9, "ns"}});
    case Dim::Power: return scaled({{1e6, "MW"}, {1e3, "kW"}, {1, "W"}, {1e-3, "mW"}});
    case Dim::Energy: return scaled({{1e3 * kHour, "kWh"}, {1e6, "MJ"}, {1e3, "kJ"}, {1, "J"}});
    case Dim::Money: return fmt::format("${:.2f}", v);
    case Dim::MoneyRate: return fmt::format("${:.4g}/h", v * kHour);
    case Dim::EnergyPrice: return fmt::format("${:.4g}/kWh", v * 1e3 * kHour);
    case Dim::Frequency: return scaled({{1e9, "GHz"}, {1e6, "MHz"}, {1e3, "kHz"}, {1, "Hz"}});
    case Dim::Count: return scaled({{1e9, "G"}, {1e6, "M"}, {1e3, "K"}, {1, ""}});
    case Dim::Ratio: return fmt::format("{:.4g}", v);
  }
  return fmt::format("{}", v);
}

}  // namespace prepsim
