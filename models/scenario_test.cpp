#include "models/scenario.h"
#include "models/devices/device_kinds.h"  // before gtest: <signal.h> defines si_value as a macro

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/config/input_error.h"

namespace prepsim {
namespace {

namespace fs = std::filesystem;
using config::Node;

const std::string kDefault = std::string(PREPSIM_SOURCE_DIR) + "/scenarios/examples/default.yaml";

// A fresh directory per test for scenario files written by the test.
class ScenarioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("prepsim_scenario_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  fs::path dir_;
};

const Stage& stage(const Scenario& sc, const std::string& name) {
  for (const Stage& s : sc.stages) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no stage " << name;
  static Stage none;
  return none;
}

const Node& at(const Node& root, std::initializer_list<const char*> path) {
  const Node* n = &root;
  for (const char* part : path) {
    const Node* next = n->find(part);
    if (next == nullptr) {
      ADD_FAILURE() << "resolved tree has no key '" << part << "'";
      static Node none;
      return none;
    }
    n = next;
  }
  return *n;
}

const Node& pipeline_item(const Node& root, const std::string& name) {
  for (const Node& item : at(root, {"pipeline"}).items) {
    const Node* n = item.find("name");
    if (n != nullptr && n->scalar == name) return item;
  }
  ADD_FAILURE() << "no pipeline item " << name;
  static Node none;
  return none;
}

InputError load_error(const std::string& path, const LoadOptions& options = {}) {
  try {
    load_scenario(path, options);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << path << " was accepted";
  return InputError("", 0, "", "");
}

TEST(Scenario, DefaultExampleLoads) {
  Scenario sc = load_scenario(kDefault);
  EXPECT_EQ(sc.name, "default");
  EXPECT_EQ(sc.dataset.batch_size, 8192);
  EXPECT_DOUBLE_EQ(sc.dataset.samples, 45e6);
  EXPECT_EQ(sc.stages.size(), 7u);
  EXPECT_EQ(sc.pools.size(), 2u);
  ASSERT_EQ(sc.jobs.size(), 1u);
  EXPECT_DOUBLE_EQ(sc.jobs[0].step_time, 0.012);
  EXPECT_DOUBLE_EQ(sc.run.electricity_price, 0.0733 / 3.6e6);
  // Paths are resolved relative to the scenario file and made absolute.
  EXPECT_TRUE(fs::path(sc.platform).is_absolute());
  EXPECT_TRUE(fs::exists(sc.platform));
  EXPECT_EQ(fs::path(sc.catalog).filename(), "catalog.yaml");
}

TEST(Scenario, DefaultsAreWrittenIntoTheResolvedTree) {
  Scenario sc = load_scenario(kDefault);
  const Node& tree = sc.resolved;
  // Keys the file does not give appear with their default value and no line (made by prepsim).
  const Node& horizon = at(tree, {"run", "cost_horizon"});
  EXPECT_EQ(horizon.scalar, "3y");
  EXPECT_EQ(horizon.line, 0);
  EXPECT_DOUBLE_EQ(sc.run.cost_horizon, 3 * 365 * 86400.0);
  EXPECT_EQ(at(tree, {"pools", "cpu", "workers_per_host"}).scalar, "0");
  EXPECT_EQ(at(tree, {"dataset", "compression_ratio"}).scalar, "1.5");  // given: kept as written
  EXPECT_GT(at(tree, {"dataset", "compression_ratio"}).line, 0);
  const Node& job = at(tree, {"trainers"}).items.at(0);
  ASSERT_NE(job.find("step_time_cv"), nullptr);
  EXPECT_EQ(job.find("step_time_cv")->scalar, "0");
  // A group stage without `count` touches the whole group; the count is written back.
  const Node& log = pipeline_item(tree, "log");
  ASSERT_NE(log.find("count"), nullptr);
  EXPECT_EQ(log.find("count")->scalar, "13");
  EXPECT_EQ(stage(sc, "log").count, 13);
  EXPECT_EQ(stage(sc, "sigrid_hash").count, 26);
  // The platform path is written back absolute, so the resolved tree can be rerun from anywhere.
  EXPECT_EQ(at(tree, {"platform"}).scalar, sc.platform);
  // Includes are gone from the resolved tree.
  EXPECT_EQ(tree.find("include"), nullptr);
}

TEST(Scenario, SetOfAnExistingKeyChangesTheValue) {
  LoadOptions o;
  o.overrides = {"run.duration=30s", "trainers.0.prefetch=8", "dataset.batch_size=4K"};
  Scenario sc = load_scenario(kDefault, o);
  EXPECT_DOUBLE_EQ(sc.run.duration, 30.0);
  EXPECT_EQ(sc.jobs.at(0).prefetch, 8);
  EXPECT_EQ(sc.dataset.batch_size, 4000);
  EXPECT_EQ(at(sc.resolved, {"run", "duration"}).scalar, "30s");
  EXPECT_DOUBLE_EQ(sc.run.warmup, 2.0);  // untouched
}

TEST(Scenario, SetMayNameAKeyThatOnlyHasADefault) {
  LoadOptions o;
  o.overrides = {"run.cost_horizon=1y", "pools.cpu.workers_per_host=3"};
  Scenario sc = load_scenario(kDefault, o);
  EXPECT_DOUBLE_EQ(sc.run.cost_horizon, 365 * 86400.0);
  EXPECT_EQ(sc.find_pool("cpu")->workers_per_host, 3);
}

TEST(Scenario, SetOfAMissingKeyNamesThePathAndTheValidKeys) {
  LoadOptions o;
  o.overrides = {"run.durration=30s"};
  InputError e = load_error(kDefault, o);
  std::string msg = e.what();
  EXPECT_EQ(e.file(), "--set");
  EXPECT_EQ(e.key(), "run.durration");
  EXPECT_NE(msg.find("'durration'"), std::string::npos) << msg;
  for (const char* valid : {"warmup", "duration", "pue", "electricity_price", "cost_horizon"}) {
    EXPECT_NE(msg.find(valid), std::string::npos) << valid << " not listed in: " << msg;
  }
}

TEST(Scenario, SetOfAMissingTopLevelKeyListsTheSections) {
  LoadOptions o;
  o.overrides = {"runn.duration=30s"};
  std::string msg = load_error(kDefault, o).what();
  for (const char* valid : {"dataset", "pipeline", "pools", "trainers", "run"}) {
    EXPECT_NE(msg.find(valid), std::string::npos) << valid << " not listed in: " << msg;
  }
}

TEST(Scenario, SetByListItemName) {
  LoadOptions o;
  o.overrides = {"pipeline.sigrid_hash.params.max=1M", "trainers.dlrm.step_time=20ms"};
  Scenario sc = load_scenario(kDefault, o);
  EXPECT_DOUBLE_EQ(stage(sc, "sigrid_hash").params.at("max"), 1e6);
  EXPECT_DOUBLE_EQ(sc.jobs.at(0).step_time, 0.020);
}

TEST(Scenario, SetOfAMissingListItemListsTheItemNames) {
  LoadOptions o;
  o.overrides = {"pipeline.sigrid.params.max=1M"};
  std::string msg = load_error(kDefault, o).what();
  EXPECT_NE(msg.find("sigrid_hash"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bucketize"), std::string::npos) << msg;
}

TEST(Scenario, SetValueIsValidatedLikeAFileValue) {
  LoadOptions o;
  o.overrides = {"run.duration=10GB"};
  InputError e = load_error(kDefault, o);
  EXPECT_EQ(e.key(), "run.duration");
  EXPECT_NE(std::string(e.what()).find("--set"), std::string::npos) << e.what();
}

TEST(Scenario, SeedOptionOverridesTheFile) {
  LoadOptions o;
  o.seed = 42;
  EXPECT_EQ(load_scenario(kDefault, o).seed, 42u);
  EXPECT_EQ(load_scenario(kDefault).seed, 1u);
}

TEST_F(ScenarioFiles, IncludeMergesAndTheIncludingFileWins) {
  std::string path = write("child.yaml",
                           "include: " + kDefault + "\n"
                           "name: child\n"
                           "run:\n"
                           "  duration: 7s\n");
  Scenario sc = load_scenario(path);
  EXPECT_EQ(sc.name, "child");
  EXPECT_DOUBLE_EQ(sc.run.duration, 7.0);
  EXPECT_DOUBLE_EQ(sc.run.warmup, 2.0);  // merged key by key: the base's other run keys stay
  EXPECT_EQ(sc.dataset.batch_size, 8192);
  EXPECT_EQ(sc.stages.size(), 7u);
  // Relative paths of the base stay relative to the base, not to the including file.
  EXPECT_TRUE(fs::exists(sc.platform));
}

TEST_F(ScenarioFiles, LaterIncludesWinOverEarlierOnes) {
  write("a.yaml", "seed: 5\ndescription: from a\n");
  write("b.yaml", "seed: 6\n");
  std::string path = write("top.yaml", "include: [" + kDefault + ", a.yaml, b.yaml]\n");
  Scenario sc = load_scenario(path);
  EXPECT_EQ(sc.seed, 6u);
  EXPECT_EQ(sc.description, "from a");
}

TEST_F(ScenarioFiles, IncludedListsAreReplacedNotAppended) {
  std::string path = write("child.yaml",
                           "include: " + kDefault + "\n"
                           "pipeline:\n"
                           "  - {name: read, op: read, on: storage}\n"
                           "  - {name: decode, op: decode, on: cpu, after: [read]}\n");
  Scenario sc = load_scenario(path);
  ASSERT_EQ(sc.stages.size(), 2u);
  EXPECT_EQ(sc.stages[1].name, "decode");
}

TEST_F(ScenarioFiles, ResolvedTreeReparsesToTheSameScenario) {
  LoadOptions o;
  o.overrides = {"pipeline.sigrid_hash.params.max=1M", "run.pue=1.2"};
  Scenario a = load_scenario(kDefault, o);
  std::string text = config::emit_yaml(a.resolved);
  Scenario b = load_scenario(write("resolved.yaml", text));
  EXPECT_EQ(b.name, a.name);
  EXPECT_EQ(b.description, a.description);
  EXPECT_EQ(b.platform, a.platform);
  EXPECT_EQ(b.catalog, a.catalog);
  EXPECT_EQ(b.cpu_costs, a.cpu_costs);
  EXPECT_EQ(b.seed, a.seed);
  EXPECT_DOUBLE_EQ(b.dataset.samples, a.dataset.samples);
  EXPECT_EQ(b.dataset.batch_size, a.dataset.batch_size);
  EXPECT_DOUBLE_EQ(b.dataset.compression_ratio, a.dataset.compression_ratio);
  ASSERT_EQ(b.dataset.dense.size(), a.dataset.dense.size());
  EXPECT_EQ(b.dataset.dense[0].count, a.dataset.dense[0].count);
  EXPECT_DOUBLE_EQ(b.dataset.dense[0].null_fraction, a.dataset.dense[0].null_fraction);
  ASSERT_EQ(b.dataset.sparse.size(), a.dataset.sparse.size());
  EXPECT_EQ(b.dataset.sparse[0].length_distribution, a.dataset.sparse[0].length_distribution);
  EXPECT_DOUBLE_EQ(b.dataset.sparse[0].mean_length, a.dataset.sparse[0].mean_length);
  ASSERT_EQ(b.stages.size(), a.stages.size());
  for (std::size_t i = 0; i < a.stages.size(); ++i) {
    SCOPED_TRACE(a.stages[i].name);
    EXPECT_EQ(b.stages[i].name, a.stages[i].name);
    EXPECT_EQ(b.stages[i].op, a.stages[i].op);
    EXPECT_EQ(b.stages[i].features, a.stages[i].features);
    EXPECT_EQ(b.stages[i].count, a.stages[i].count);
    EXPECT_EQ(b.stages[i].after, a.stages[i].after);
    EXPECT_EQ(b.stages[i].pool, a.stages[i].pool);
    EXPECT_EQ(b.stages[i].params, a.stages[i].params);
  }
  EXPECT_DOUBLE_EQ(stage(b, "sigrid_hash").params.at("max"), 1e6);
  ASSERT_EQ(b.pools.size(), a.pools.size());
  for (std::size_t i = 0; i < a.pools.size(); ++i) {
    EXPECT_EQ(b.pools[i].name, a.pools[i].name);
    EXPECT_EQ(b.pools[i].kind, a.pools[i].kind);
    EXPECT_EQ(b.pools[i].hosts, a.pools[i].hosts);
    EXPECT_EQ(b.pools[i].workers_per_host, a.pools[i].workers_per_host);
  }
  ASSERT_EQ(b.jobs.size(), a.jobs.size());
  EXPECT_EQ(b.jobs[0].name, a.jobs[0].name);
  EXPECT_EQ(b.jobs[0].sync, a.jobs[0].sync);
  EXPECT_EQ(b.jobs[0].hosts, a.jobs[0].hosts);
  EXPECT_DOUBLE_EQ(b.jobs[0].step_time, a.jobs[0].step_time);
  EXPECT_EQ(b.jobs[0].prefetch, a.jobs[0].prefetch);
  EXPECT_DOUBLE_EQ(b.run.warmup, a.run.warmup);
  EXPECT_DOUBLE_EQ(b.run.duration, a.run.duration);
  EXPECT_DOUBLE_EQ(b.run.pue, 1.2);
  EXPECT_DOUBLE_EQ(b.run.electricity_price, a.run.electricity_price);
  EXPECT_DOUBLE_EQ(b.run.cost_horizon, a.run.cost_horizon);
  // Resolving is a fixed point: the resolved tree of the resolved tree is the same text.
  EXPECT_EQ(config::emit_yaml(b.resolved), text);
}

TEST_F(ScenarioFiles, ErrorsNameFileLineAndKey) {
  std::string path = write("bad.yaml",
                           "include: " + kDefault + "\n"   // 1
                           "\n"                             // 2
                           "run:\n"                         // 3
                           "  warmup: 1s\n"                 // 4
                           "  duration: 12\n");             // 5
  InputError e = load_error(path);
  EXPECT_EQ(e.file(), path);
  EXPECT_EQ(e.line(), 5);
  EXPECT_EQ(e.key(), "run.duration");
  std::string msg = e.what();
  EXPECT_NE(msg.find(path + ":5: run.duration: "), std::string::npos) << msg;
  EXPECT_NE(msg.find("ms"), std::string::npos) << "the message should list valid units: " << msg;
}

TEST_F(ScenarioFiles, ErrorInAStageNamesTheStageLine) {
  std::string path = write("bad.yaml",
                           "include: " + kDefault + "\n"                                            // 1
                           "pipeline:\n"                                                             // 2
                           "  - {name: read, op: read, on: storage}\n"                               // 3
                           "  - {name: decode, op: decode, on: cpu, after: [read]}\n"                // 4
                           "  - {name: h, op: sigrid_hash, on: cpu, after: [decode],\n"              // 5
                           "     features: categorical, params: {salt: 0, max: -3}}\n");             // 6
  InputError e = load_error(path);
  EXPECT_EQ(e.line(), 6);
  EXPECT_EQ(e.key(), "pipeline.h.params.max");
}

TEST_F(ScenarioFiles, UnknownKeyListsTheValidOnes) {
  std::string path = write("bad.yaml",
                           "include: " + kDefault + "\n"
                           "trainers:\n"
                           "  - name: dlrm\n"
                           "    hosts: [gpu-0]\n"
                           "    step_time: 12ms\n"
                           "    prefetsh: 2\n");
  InputError e = load_error(path);
  EXPECT_EQ(e.line(), 6);
  EXPECT_EQ(e.key(), "trainers.dlrm.prefetsh");
  std::string msg = e.what();
  for (const char* valid : {"prefetch", "step_time", "step_time_cv", "sync", "hosts"}) {
    EXPECT_NE(msg.find(valid), std::string::npos) << valid << " not listed in: " << msg;
  }
}

TEST_F(ScenarioFiles, ErrorInAnIncludedFileNamesThatFile) {
  std::string base = write("base.yaml",
                           "include: " + kDefault + "\n"  // 1
                           "seed: -4\n");                  // 2
  std::string path = write("top.yaml", "include: base.yaml\nname: top\n");
  InputError e = load_error(path);
  EXPECT_EQ(fs::path(e.file()).filename(), "base.yaml");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.key(), "seed");
}

TEST_F(ScenarioFiles, DuplicateKeyNamesBothLines) {
  std::string path = write("dup.yaml",
                           "include: " + kDefault + "\n"  // 1
                           "seed: 2\n"                     // 2
                           "name: x\n"                     // 3
                           "seed: 3\n");                   // 4
  InputError e = load_error(path);
  EXPECT_EQ(e.line(), 4);
  EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, IncludeCycleIsRefused) {
  write("a.yaml", "include: b.yaml\n");
  write("b.yaml", "include: a.yaml\n");
  InputError e = load_error((dir_ / "a.yaml").string());
  EXPECT_NE(std::string(e.what()).find("include cycle"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, MissingScenarioFile) {
  InputError e = load_error((dir_ / "nope.yaml").string());
  EXPECT_NE(std::string(e.what()).find("no such"), std::string::npos) << e.what();
}

// Every row of the device-kind table is a pool kind, with the placement rules its traits give.
TEST(ScenarioDeviceKinds, EveryRowIsAPoolKindWithItsRules) {
  const std::string here = fs::path(kDefault).parent_path().string() + "/device_kind.yaml";
  // A scenario whose pool `dev` of kind `kind` runs decode; read on `read_on`; `extra` in dev's map.
  auto text = [&](const std::string& kind, const std::string& read_on, const std::string& extra) {
    return "include: default.yaml\n"
           "pools:\n"
           "  storage: {kind: storage, hosts: [storage-0]}\n"
           "  cpu: {kind: cpu, hosts: [cpu-0]}\n"
           "  dev: {kind: " + kind + ", hosts: [cpu-1]" + extra + "}\n"
           "pipeline:\n"
           "  - {name: read, op: read, on: " + read_on + "}\n"
           "  - {name: decode, op: decode, on: dev, after: [read]}\n"
           "  - {name: to_kjt, op: to_kjt, on: cpu, after: [decode]}\n";
  };
  auto refusal = [&](const std::string& t) -> std::string {
    try {
      load_scenario_text(t, here);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  for (const devices::DeviceKind& k : devices::device_kinds()) {
    const std::string kind(k.name);
    SCOPED_TRACE(kind);
    if (k.stores_dataset) {
      // Its devices read the data they store and no other: read runs on it, the pool sets the skew.
      Scenario sc = load_scenario_text(text(kind, "dev", ", skew: 0.2"), here);
      EXPECT_EQ(sc.find_pool("dev")->kind, kind);
      EXPECT_DOUBLE_EQ(sc.find_pool("dev")->skew, 0.2);
      EXPECT_NE(refusal(text(kind, "storage", "")).find("only processes the data it stores"), std::string::npos);
    } else {
      Scenario sc = load_scenario_text(text(kind, "storage", ""), here);
      EXPECT_EQ(sc.find_pool("dev")->kind, kind);
      std::string e = refusal(text(kind, "dev", ""));
      EXPECT_NE(e.find("read runs on a storage"), std::string::npos) << e;
      EXPECT_NE(refusal(text(kind, "storage", ", skew: 0.2")).find("pools.dev.skew"), std::string::npos);
    }
  }
  // An unknown kind's message lists every row.
  std::string e = refusal(text("tpu", "storage", ""));
  for (const devices::DeviceKind& k : devices::device_kinds()) {
    EXPECT_NE(e.find(std::string(k.name)), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace prepsim
