// The one unit parser: every quantity in prepsim's inputs is written with its unit ("10Gbps", "25W", "3y",
// "$0.0733/kWh", "8KiB", "500ms", "100M") and converted here to SI base units (bytes, bytes/s, seconds, watts,
// joules, dollars, dollars/s, dollars/J, hertz, plain counts). A bare number where a unit is expected is refused;
// counts and ratios take no unit (counts accept K, M, G, T).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace prepsim {

enum class Dim {
  Size,         // bytes: B, KB, MB, GB, TB, PB (10^3), KiB, MiB, GiB, TiB, PiB (2^10)
  Rate,         // bytes/s: B/s, KB/s ... GiB/s, Bps, GBps (SimGrid style); bits: bps, Kbps, Mbps, Gbps, Tbps
  Time,         // seconds: ns, us, ms, s, min, h, d, w, y (365 days)
  Power,        // watts: mW, W, kW, MW
  Energy,       // joules: J, kJ, MJ, Wh, kWh, MWh
  Money,        // dollars: $1200, $1.2K
  MoneyRate,    // dollars per second: $1.2/h, $0.1/s, $10/d, $1000/y
  EnergyPrice,  // dollars per joule: $0.0733/kWh, $73/MWh, $1e-8/J
  Frequency,    // hertz: Hz, kHz, MHz, GHz
  Count,        // plain number, optionally K, M, G, T (10^3 ...)
  Ratio,        // plain number, no suffix
};

std::string_view to_string(Dim dim);
// The units `dim` accepts, for error messages.
std::string_view valid_units(Dim dim);

class UnitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses `text` as a quantity of dimension `dim` and returns it in SI base units. Throws UnitError naming what
// was wrong and which units would be valid, or that the value is beyond max_magnitude(dim).
double parse_quantity(std::string_view text, Dim dim);

// The largest magnitude an input of `dim` may have (SI): far beyond any real machine, price or dataset, and small
// enough that sums and products of inputs stay finite (1 EB, 1 PB/s, 1000 y, 1 GW, $1T, 1e18 for counts ...).
double max_magnitude(Dim dim);

// A short human-readable rendering in a conventional unit for `dim` ("1.25 GB/s", "3.2 kW", "$1,234.56").
std::string format_quantity(double si_value, Dim dim);

}  // namespace prepsim
