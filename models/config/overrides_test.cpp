#include "models/config/overrides.h"

#include <gtest/gtest.h>

#include <string>

#include "models/config/input_error.h"

namespace prepsim::config {
namespace {

Node tree() {
  return load_yaml_string(
      "run: {duration: 20s, warmup: 2s}\n"
      "pipeline:\n"
      "  - {name: read, op: read}\n"
      "  - {name: hash, op: sigrid_hash, params: {salt: 0, max: 500K}}\n"
      "pools:\n"
      "  cpu: {kind: cpu, hosts: [cpu-0, cpu-1]}\n"
      "trainers:\n"
      "  - {name: dlrm, prefetch: 2}\n",
      "t.yaml");
}

InputError error_of(Node& root, const std::string& assignment) {
  try {
    apply_override(root, assignment);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << assignment << " was accepted";
  return InputError("", 0, "", "");
}

TEST(Overrides, SetsAMapKey) {
  Node n = tree();
  apply_override(n, "run.duration=30s");
  EXPECT_EQ(n.find("run")->find("duration")->scalar, "30s");
  EXPECT_EQ(n.find("run")->find("warmup")->scalar, "2s");
}

TEST(Overrides, TheNewValueRemembersItCameFromSet) {
  Node n = tree();
  apply_override(n, "run.duration=30s");
  const Node* d = n.find("run")->find("duration");
  EXPECT_NE(d->file.find("--set"), std::string::npos) << d->file;
}

TEST(Overrides, WalksListsByItemName) {
  Node n = tree();
  apply_override(n, "pipeline.hash.params.max=1M");
  EXPECT_EQ(n.find("pipeline")->items[1].find("params")->find("max")->scalar, "1M");
  EXPECT_EQ(n.find("pipeline")->items[1].find("params")->find("salt")->scalar, "0");
}

TEST(Overrides, WalksListsByIndex) {
  Node n = tree();
  apply_override(n, "trainers.0.prefetch=4");
  EXPECT_EQ(n.find("trainers")->items[0].find("prefetch")->scalar, "4");
}

TEST(Overrides, ValueIsReadAsYaml) {
  Node n = tree();
  apply_override(n, "pools.cpu.hosts=[cpu-0]");
  const Node* hosts = n.find("pools")->find("cpu")->find("hosts");
  ASSERT_TRUE(hosts->is_seq());
  ASSERT_EQ(hosts->items.size(), 1u);
  EXPECT_EQ(hosts->items[0].scalar, "cpu-0");
  apply_override(n, "pipeline.hash.params={salt: 1, max: 10}");
  const Node* params = n.find("pipeline")->items[1].find("params");
  ASSERT_TRUE(params->is_map());
  EXPECT_EQ(params->find("max")->scalar, "10");
}

TEST(Overrides, OnlyTheFirstEqualsSplits) {
  Node n = tree();
  apply_override(n, "run.duration=a=b");
  EXPECT_EQ(n.find("run")->find("duration")->scalar, "a=b");
}

TEST(Overrides, MissingKeyIsAnErrorListingTheValidKeys) {
  Node n = tree();
  InputError e = error_of(n, "run.durration=30s");
  EXPECT_EQ(e.file(), "--set");
  EXPECT_EQ(e.key(), "run.durration");
  std::string msg = e.what();
  EXPECT_NE(msg.find("'durration'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'run'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("duration"), std::string::npos) << msg;
  EXPECT_NE(msg.find("warmup"), std::string::npos) << msg;
  // The tree is untouched: an override never adds a key.
  EXPECT_EQ(n.find("run")->find("durration"), nullptr);
  EXPECT_EQ(n.find("run")->entries.size(), 2u);
}

TEST(Overrides, MissingListItemListsTheItemNames) {
  Node n = tree();
  std::string msg = error_of(n, "pipeline.hsah.params.max=1").what();
  EXPECT_NE(msg.find("read"), std::string::npos) << msg;
  EXPECT_NE(msg.find("hash"), std::string::npos) << msg;
}

TEST(Overrides, IndexPastTheEndIsAnError) {
  Node n = tree();
  EXPECT_THROW(apply_override(n, "trainers.1.prefetch=4"), InputError);
}

TEST(Overrides, AnIndexTooLargeForAnyNumberTypeIsAnError) {
  Node n = tree();
  EXPECT_THROW(apply_override(n, "pipeline.99999999999999999999=1"), InputError);
  EXPECT_THROW(apply_override(n, "trainers.18446744073709551616.prefetch=1"), InputError);
}

TEST(Overrides, NonUtf8ValueIsAnError) {
  Node n = tree();
  EXPECT_THROW(apply_override(n, "run.duration=3\xE9s"), InputError);
}

TEST(Overrides, KeyCheckNamesTheFileAndLineGiven) {
  Node n = tree();
  EXPECT_NO_THROW(check_override_key(n, "pipeline.hash.params.max", "s.yaml", 4));
  try {
    check_override_key(n, "pools.cpu.worker_per_host", "s.yaml", 4);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "s.yaml");
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(std::string(e.what()).find("'worker_per_host' does not exist"), std::string::npos) << e.what();
  }
}

TEST(Overrides, CannotDescendIntoAScalar) {
  Node n = tree();
  std::string msg = error_of(n, "run.duration.unit=s").what();
  EXPECT_NE(msg.find("single value"), std::string::npos) << msg;
}

TEST(Overrides, MalformedAssignmentsAreErrors) {
  Node n = tree();
  for (const char* bad : {"run.duration", "=30s", ""}) {
    InputError e = error_of(n, bad);
    EXPECT_NE(std::string(e.what()).find("key.path=value"), std::string::npos) << bad << ": " << e.what();
  }
}

TEST(Overrides, BadYamlValueIsAnError) {
  Node n = tree();
  EXPECT_THROW(apply_override(n, "pools.cpu.hosts=[cpu-0"), InputError);
}

}  // namespace
}  // namespace prepsim::config
