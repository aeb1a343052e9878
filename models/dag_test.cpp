#include "models/dag.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "models/config/input_error.h"

namespace prepsim {
namespace {

Stage stage(const std::string& name, std::vector<std::string> after, int line) {
  Stage s;
  s.name = name;
  s.op = "log";
  s.after = std::move(after);
  s.file = "p.yaml";
  s.line = line;
  return s;
}

int position(const std::vector<int>& order, int stage) {
  return static_cast<int>(std::find(order.begin(), order.end(), stage) - order.begin());
}

TEST(Dag, TopologicalOrderPutsPredecessorsFirst) {
  std::vector<Stage> stages = {stage("join", {"a", "b"}, 4), stage("read", {}, 1), stage("a", {"read"}, 2),
                               stage("b", {"read"}, 3)};
  DagOrder o = order_stages(stages);
  ASSERT_EQ(o.topo.size(), 4u);
  EXPECT_LT(position(o.topo, 1), position(o.topo, 2));
  EXPECT_LT(position(o.topo, 1), position(o.topo, 3));
  EXPECT_LT(position(o.topo, 2), position(o.topo, 0));
  EXPECT_LT(position(o.topo, 3), position(o.topo, 0));
  EXPECT_EQ(o.sinks, std::vector<int>{0});
  EXPECT_EQ(o.preds[0].size(), 2u);
}

TEST(Dag, PoolOrderKeepsEachPoolsStagesTogether) {
  // read -> decode -> {log, hash}; firstx after hash; join after log and firstx. log and hash on the device,
  // firstx and join on the cpu: a plain topological order may put firstx between log and hash.
  std::vector<Stage> stages = {stage("read", {}, 1), stage("decode", {"read"}, 2), stage("hash", {"decode"}, 3),
                               stage("firstx", {"hash"}, 4), stage("log", {"decode"}, 5),
                               stage("join", {"log", "firstx"}, 6)};
  for (Stage& s : stages) s.pool = "dev";
  stages[3].pool = stages[5].pool = "cpu";
  DagOrder o = order_stages(stages);
  std::vector<int> p = order_by_pool(stages, o);
  ASSERT_EQ(p.size(), 6u);
  std::vector<std::string> pools;
  for (int i : p) {
    if (pools.empty() || pools.back() != stages[static_cast<std::size_t>(i)].pool) pools.push_back(stages[static_cast<std::size_t>(i)].pool);
  }
  EXPECT_EQ(pools, (std::vector<std::string>{"dev", "cpu"}));
  for (std::size_t i = 0; i < stages.size(); ++i) {
    for (int pred : o.preds[i]) EXPECT_LT(position(p, pred), position(p, static_cast<int>(i)));
  }
}

TEST(Dag, CycleIsRefusedNamingItsStages) {
  std::vector<Stage> stages = {stage("read", {}, 1), stage("a", {"read", "c"}, 2), stage("b", {"a"}, 3),
                               stage("c", {"b"}, 4)};
  try {
    order_stages(stages);
    FAIL() << "a cycle was accepted";
  } catch (const InputError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("cycle"), std::string::npos) << msg;
    for (const char* name : {"a", "b", "c"}) EXPECT_NE(msg.find(name), std::string::npos) << msg;
    EXPECT_EQ(e.file(), "p.yaml");
    EXPECT_GT(e.line(), 0);
  }
}

TEST(Dag, UnknownPredecessorAndSelfLoopAreRefused) {
  EXPECT_THROW(order_stages({stage("read", {}, 1), stage("a", {"nope"}, 2)}), InputError);
  EXPECT_THROW(order_stages({stage("read", {}, 1), stage("a", {"a"}, 2)}), InputError);
}

}  // namespace
}  // namespace prepsim
