#include "models/config/yaml_doc.h"

#include <gtest/gtest.h>

#include "models/config/input_error.h"

namespace prepsim::config {
namespace {

TEST(YamlDoc, KeepsLinesAndOrder) {
  Node n = load_yaml_string("a: 1\nb:\n  c: [x, y]\n  d: hello\n", "t.yaml");
  ASSERT_TRUE(n.is_map());
  ASSERT_EQ(n.entries.size(), 2u);
  EXPECT_EQ(n.entries[0].first, "a");
  EXPECT_EQ(n.find("a")->line, 1);
  const Node* b = n.find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->find("d")->scalar, "hello");
  EXPECT_EQ(b->find("d")->line, 4);
  EXPECT_EQ(b->find("c")->items.size(), 2u);
  EXPECT_EQ(b->find("c")->items[1].scalar, "y");
}

TEST(YamlDoc, DuplicateKeyIsAnErrorWithBothLines) {
  try {
    load_yaml_string("a: 1\nb: 2\na: 3\n", "dup.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "dup.yaml");
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.key(), "a");
    EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos);
  }
}

TEST(YamlDoc, NestedDuplicateIsCaught) {
  EXPECT_THROW(load_yaml_string("x:\n  y: 1\n  y: 2\n", "t"), InputError);
}

TEST(YamlDoc, SyntaxErrorNamesLine) {
  try {
    load_yaml_string("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_GT(e.line(), 1);
  }
}

TEST(YamlDoc, AliasesAreRefused) {
  EXPECT_THROW(load_yaml_string("a: &x 1\nb: *x\n", "t"), InputError);
}

TEST(YamlDoc, MergeOverlaysMapsAndReplacesLists) {
  Node base = load_yaml_string("a: {x: 1, y: 2}\nl: [1, 2]\n", "base");
  Node over = load_yaml_string("a: {y: 3, z: 4}\nl: [5]\n", "over");
  merge_into(base, over);
  EXPECT_EQ(base.find("a")->find("x")->scalar, "1");
  EXPECT_EQ(base.find("a")->find("y")->scalar, "3");
  EXPECT_EQ(base.find("a")->find("z")->scalar, "4");
  EXPECT_EQ(base.find("l")->items.size(), 1u);
}

TEST(YamlDoc, EmitRoundTrips) {
  Node n = load_yaml_string("a: 1\nb:\n  - {n: x, v: [1, 2]}\n  - {n: y}\nc: \"10 Gbps\"\n", "t");
  Node again = load_yaml_string(emit_yaml(n), "t2");
  EXPECT_EQ(emit_yaml(again), emit_yaml(n));
  EXPECT_EQ(again.find("c")->scalar, "10 Gbps");
}

TEST(YamlDoc, DropDefaultsKeepsWhatTheUserAndTheFlagsWrote) {
  Node n = load_yaml_string("pools:\n  ssd: {kind: isp, hosts: [ssd-0]}\n", "s.yaml");
  Node& ssd = *n.find("pools")->find("ssd");
  ssd.set("skew", Node::make_scalar("0", "s.yaml", 0));            // a default the parser filled in
  Node made = Node::make_map("s.yaml", 0);                          // a default map ...
  made.set("x", Node::make_scalar("1", "s.yaml", 0));
  ssd.set("made", made);
  Node kept = Node::make_map("s.yaml", 0);                          // ... and one holding an override
  kept.set("y", load_yaml_string("2", "--set pools.ssd.kept.y"));
  ssd.set("kept", kept);
  n.set("seed", Node::make_scalar("7", "--seed", 0));
  drop_defaults(n);
  EXPECT_EQ(ssd.find("skew"), nullptr);
  EXPECT_EQ(ssd.find("made"), nullptr);
  ASSERT_NE(ssd.find("kept"), nullptr);
  EXPECT_EQ(ssd.find("kept")->find("y")->scalar, "2");
  EXPECT_NE(ssd.find("kind"), nullptr);
  EXPECT_NE(n.find("seed"), nullptr);
}

}  // namespace
}  // namespace prepsim::config
