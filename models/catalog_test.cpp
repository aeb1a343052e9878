#include "models/catalog.h"
#include "models/devices/device_kinds.h"  // before gtest: <signal.h> defines si_value as a macro

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/config/input_error.h"
#include "models/op_registry.h"

namespace prepsim {
namespace {

namespace fs = std::filesystem;

const std::string kCatalog = std::string(PREPSIM_SOURCE_DIR) + "/platforms/catalog.yaml";

TEST(Catalog, ShippedCatalogLoads) {
  Catalog cat = load_catalog(kCatalog);
  EXPECT_FALSE(cat.skus.empty());
  const Sku* a100 = cat.find("a100-40gb-pcie");
  ASSERT_NE(a100, nullptr);
  EXPECT_EQ(a100->kind, "gpu");
  ASSERT_TRUE(a100->power_busy.has_value());
  EXPECT_DOUBLE_EQ(a100->power_busy->value, 250.0);
  const Sku* xeon = cat.find("xeon-gold-6242-2s");
  ASSERT_NE(xeon, nullptr);
  ASSERT_TRUE(xeon->capex && xeon->lifetime && xeon->rental);
  EXPECT_DOUBLE_EQ(xeon->capex->value, 11500.0);
  EXPECT_DOUBLE_EQ(xeon->lifetime->value, 3 * 365 * 86400.0);
  EXPECT_DOUBLE_EQ(xeon->rental->value, 2.30 / 3600.0);
  EXPECT_EQ(cat.find("no-such-sku"), nullptr);
}

TEST(Catalog, EveryShippedValueHasASourceAndALocation) {
  Catalog cat = load_catalog(kCatalog);
  int values = 0;
  for (const auto& [name, sku] : cat.skus) {
    SCOPED_TRACE(name);
    EXPECT_EQ(sku.name, name);
    EXPECT_GT(sku.line, 0);
    for (const auto* v : {&sku.capex, &sku.lifetime, &sku.rental, &sku.power_idle, &sku.power_busy}) {
      if (!v->has_value()) continue;
      ++values;
      EXPECT_FALSE((*v)->source.empty());
      EXPECT_GT((*v)->line, 0);
      EXPECT_GE((*v)->value, 0.0);
    }
    // What the catalog prices must be amortizable, and power comes in pairs.
    if (sku.capex) {
      EXPECT_TRUE(sku.lifetime.has_value());
    }
    EXPECT_EQ(sku.power_idle.has_value(), sku.power_busy.has_value());
    if (sku.power_idle) {
      EXPECT_LE(sku.power_idle->value, sku.power_busy->value);
    }
  }
  EXPECT_GT(values, 10);
}

TEST(Catalog, ProvisionalCostTableCoversEveryComputeOp) {
  Catalog cat = load_catalog(kCatalog);
  auto it = cat.cpu_costs.find("provisional");
  ASSERT_NE(it, cat.cpu_costs.end());
  const CostTable& t = it->second;
  EXPECT_FALSE(t.source.empty());
  for (const OpInfo& op : all_ops()) {
    std::string name(op.name);
    if (name == "read") continue;  // a disk read: no CPU cost
    SCOPED_TRACE(name);
    const OpCostCoefficients* c = t.find(name);
    ASSERT_NE(c, nullptr) << "the provisional table has no entry for op " << name;
    // One coefficient per term of the op's cost signature, none negative, and the op costs something.
    ASSERT_EQ(c->terms.size(), op.signature.size());
    double per_element = 0;
    for (std::size_t i = 0; i < op.signature.size(); ++i) {
      EXPECT_EQ(c->terms[i].first, op.signature[i]);
      EXPECT_GE(c->terms[i].second, 0.0);
      // The per-value term: elements, or for firstx the ids it copies.
      if (c->terms[i].first == CostTerm::Elements ||
          (name == "firstx" && c->terms[i].first == CostTerm::OutputElements)) {
        per_element = c->terms[i].second;
      }
    }
    EXPECT_GT(per_element, 0.0);
    EXPECT_LT(per_element, 1e-6);  // nanoseconds per element, not microseconds
  }
  EXPECT_EQ(t.find("read"), nullptr);
}

TEST(Catalog, ProvisionalCoefficientsAreInSeconds) {
  Catalog cat = load_catalog(kCatalog);
  const CostTable& t = cat.cpu_costs.at("provisional");
  // decode: {constant: 20us, rows: 0s, elements: 2ns}
  OpWork w;
  w.rows = 10;
  w.elements = 1000;
  EXPECT_NEAR(t.seconds("decode", w), 20e-6 + 1000 * 2e-9, 1e-15);
  // bucketize adds elements * log2(borders + 1) at 1ns.
  w.borders = 1023;
  EXPECT_NEAR(t.seconds("bucketize", w), 5e-6 + 1000 * 0.5e-9 + 1000 * 10 * 1e-9, 1e-15);
}

class CatalogFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("prepsim_catalog_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  InputError error_of(const std::string& text) {
    fs::path p = dir_ / "catalog.yaml";
    std::ofstream(p) << text;
    try {
      load_catalog(p.string());
    } catch (const InputError& e) {
      return e;
    }
    ADD_FAILURE() << "accepted:\n" << text;
    return InputError("", 0, "", "");
  }

  fs::path dir_;
};

TEST_F(CatalogFiles, ValueWithoutSourceIsRefused) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"       // 1
      "skus:\n"                            // 2
      "  box:\n"                           // 3
      "    kind: cpu\n"                    // 4
      "    capex: {value: \"$100\"}\n"     // 5
      "    lifetime: {value: 3y, source: \"assumption: x\"}\n");
  EXPECT_EQ(e.line(), 5);
  EXPECT_NE(std::string(e.what()).find("source"), std::string::npos) << e.what();
}

TEST_F(CatalogFiles, EmptySourceIsRefused) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus:\n"
      "  box:\n"
      "    kind: gpu\n"
      "    power_idle: {value: 10W, source: \"\"}\n"
      "    power_busy: {value: 20W, source: \"datasheet\"}\n");
  EXPECT_EQ(e.line(), 5);
  EXPECT_EQ(e.key(), "skus.box.power_idle.source");
}

TEST_F(CatalogFiles, ValueWithoutUnitIsRefused) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus:\n"
      "  box:\n"
      "    kind: gpu\n"
      "    power_idle: {value: 10W, source: a}\n"
      "    power_busy: {value: 20, source: a}\n");
  EXPECT_EQ(e.line(), 6);
  EXPECT_EQ(e.key(), "skus.box.power_busy.value");
}

TEST_F(CatalogFiles, PowerComesInPairs) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus:\n"
      "  box:\n"
      "    kind: gpu\n"
      "    power_idle: {value: 10W, source: a}\n");
  EXPECT_NE(std::string(e.what()).find("power_busy"), std::string::npos) << e.what();
}

TEST_F(CatalogFiles, CapexNeedsALifetime) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus:\n"
      "  box:\n"
      "    kind: cpu\n"
      "    capex: {value: \"$100\", source: a}\n");
  EXPECT_NE(std::string(e.what()).find("lifetime"), std::string::npos) << e.what();
}

TEST_F(CatalogFiles, UnknownOpInACostTableListsTheKnownOps) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus: {}\n"
      "cpu_costs:\n"
      "  t:\n"
      "    source: a\n"
      "    ops:\n"
      "      hash: {constant: 1us}\n");
  EXPECT_EQ(e.line(), 7);
  std::string msg = e.what();
  EXPECT_NE(msg.find("sigrid_hash"), std::string::npos) << msg;
}

TEST_F(CatalogFiles, CostTermOutsideTheOpSignatureIsRefused) {
  // log's signature is constant + rows + elements: output_elements is not one of its terms.
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus: {}\n"
      "cpu_costs:\n"
      "  t:\n"
      "    source: a\n"
      "    ops:\n"
      "      log: {constant: 1us, output_elements: 1ns}\n");
  EXPECT_EQ(e.line(), 7);
  EXPECT_EQ(e.key(), "cpu_costs.t.ops.log.output_elements");
  EXPECT_NE(std::string(e.what()).find("elements"), std::string::npos) << e.what();
}

TEST_F(CatalogFiles, UnknownSkuKindListsTheKinds) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus:\n"
      "  box:\n"
      "    kind: tpu\n");
  EXPECT_EQ(e.line(), 4);
  EXPECT_NE(std::string(e.what()).find("gpu"), std::string::npos) << e.what();
}

TEST_F(CatalogFiles, ModelOnANonDeviceSkuListsTheDeviceKinds) {
  InputError e = error_of(
      "schema: prepsim-catalog/v1\n"
      "skus:\n"
      "  box:\n"
      "    kind: cpu\n"
      "    model: {}\n");
  EXPECT_EQ(e.line(), 5);
  EXPECT_EQ(e.key(), "skus.box.model");
  for (const devices::DeviceKind& k : devices::device_kinds()) {
    EXPECT_NE(std::string(e.what()).find(std::string(k.name)), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace prepsim
