// Which CPU cost table a scenario runs with, and the software stack it models.
//
// `cpu_costs: NAME` picks a table of the catalog (provisional constants, or a shipped calibration file such as
// `reference`). `cpu_costs: host` picks this machine's own calibration, `calibration/host.json` under the working
// directory (where `prepsim calibrate` writes by default) when it exists, and otherwise the catalog's `reference`
// table. The scenario's `cpu_software` efficiency factors then divide each op's time (TorchArrow in PreSto).
#pragma once

#include <string>

#include "models/catalog.h"
#include "models/op_cost.h"
#include "models/scenario.h"

namespace prepsim {

inline constexpr const char* kHostCalibrationPath = "calibration/host.json";

// Throws InputError naming the scenario's `cpu_costs` line when the table does not exist or cannot be read.
CostTable resolve_cpu_costs(const Scenario& scenario, const Catalog& catalog);

// The table with each op's coefficients divided by the software's efficiency for that op.
CostTable apply_software(const CostTable& table, const CpuSoftware& software);

}  // namespace prepsim
