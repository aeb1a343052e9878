// Every row of the device-kind table is a placement option of `prepsim plan`: an example scenario has a pool of
// the kind, and the plan sizes it (the floor of a kind that stores the dataset is the devices that hold it).
// (models headers first: <signal.h>, which gtest pulls in, defines si_value as a macro)
#include "analysis/plan/plan_option.h"
#include "models/devices/device_kinds.h"
#include "models/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace prepsim::analysis {
namespace {

namespace fs = std::filesystem;

TEST(PlanOption, SizableKindsAreCpuThenTheDeviceKinds) {
  EXPECT_EQ(sizable_kinds(), devices::with_device_kinds({"cpu"}));
}

TEST(PlanOption, EveryDeviceKindHasAnExampleThePlanSizes) {
  const fs::path examples = fs::path(PREPSIM_SOURCE_DIR) / "scenarios" / "examples";
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(examples)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const devices::DeviceKind& k : devices::device_kinds()) {
    const std::string kind(k.name);
    SCOPED_TRACE(kind);
    int sized = 0;
    for (const std::string& file : files) {
      Scenario sc = load_scenario(file);
      for (const Pool& p : sc.pools) {
        if (p.kind != kind) continue;
        PlanOption o = make_option(file, p.name);
        ++sized;
        EXPECT_EQ(o.kind, kind) << file;
        EXPECT_EQ(o.hosts, p.hosts) << file;
        EXPECT_GE(o.floor, 1) << file;
        EXPECT_LE(o.floor, static_cast<int>(o.hosts.size())) << file;
        // A kind that stores the dataset needs the devices that hold it; the others start from one.
        EXPECT_EQ(o.device_capacity > 0, k.stores_dataset) << file;
        if (k.stores_dataset) {
          EXPECT_GT(o.dataset_bytes, 0) << file;
        } else {
          EXPECT_EQ(o.floor, 1) << file;
        }
      }
    }
    EXPECT_GE(sized, 1) << "no example scenario in scenarios/examples has a pool of this kind";
  }
}

}  // namespace
}  // namespace prepsim::analysis
