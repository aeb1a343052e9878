// Shared pieces of the heterogeneous device models (fpga, isp, smartnic, gpu): the error they throw, the
// reading of device parameters from YAML maps, and max-min fair sharing of one device among flows.
//
// A device parameter may be written plain (`clock: 223MHz`) or with its source, the way the catalog writes
// every value (`clock: {value: 223MHz, source: "docs/sources.md#presto"}`); a sourced value records its source in
// the spec's `Sources` under its key path, so a catalog holding device specs can print where each number came
// from. Readers never call MapReader::finish(): the `*_from(Node&)` entry points of each model do, so a model
// can read its keys and another model's keys from one map (a SmartNIC is an fpga spec plus a line rate).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/config/map_reader.h"
#include "models/units.h"

namespace prepsim::devices {

// A device spec or a chunk that a device model cannot work with (programmatic use; YAML input gets a located
// InputError instead).
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Key path (relative to the device map, e.g. "units.log.clock") -> source, for values given as {value, source}.
using Sources = std::map<std::string, std::string>;

// `key` as a quantity of `dim`, plain or {value, source}. An absent key takes `def` (written into the tree) or
// is an error when there is no default. `prefix` is prepended to `key` in `sources` (e.g. "units.log.").
double param_quantity(config::MapReader& r, const std::string& key, Dim dim, const std::optional<std::string>& def,
                      config::Range range, Sources* sources, const std::string& prefix = "");
// A whole number (counts accept K, M, G, T), plain or {value, source}.
std::int64_t param_integer(config::MapReader& r, const std::string& key, const std::optional<std::string>& def,
                           config::Range range, Sources* sources, const std::string& prefix = "");
// true or false, plain or {value, source}: assumptions such as pipelined_across_chunks carry their reasoning.
bool param_boolean(config::MapReader& r, const std::string& key, const std::optional<bool>& def, Sources* sources,
                   const std::string& prefix = "");
// A cost parameter: always {value, source} with a non-empty source, as in the catalog. Refuses negatives.
Sourced sourced_value(config::MapReader& r, const std::string& key, Dim dim);

// Max-min fair (water-filling) shares of `capacity` among flows asking for `demands` (same unit as capacity;
// +infinity for a flow that takes all it gets). No flow gets more than it asks; capacity left over by small
// flows is split evenly among the others. Throws DeviceError on a negative capacity or demand.
std::vector<double> max_min_share(double capacity, const std::vector<double>& demands);

// "1.25 GB/s"-style rendering for error messages.
std::string describe(double value, Dim dim);

}  // namespace prepsim::devices
