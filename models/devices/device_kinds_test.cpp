// Properties every row of the device-kind table must have, tested row by row (not a copy of the list): the
// shipped catalog holds a model of the kind that its reader builds, the reader refuses keys it does not know,
// and the model agrees with the row's traits.
// (models headers first: <signal.h>, which gtest pulls in, defines si_value as a macro)
#include "models/catalog.h"
#include "models/config/input_error.h"
#include "models/config/yaml_doc.h"
#include "models/devices/device_kinds.h"
#include "models/devices/device_params.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace prepsim::devices {
namespace {

const std::string kCatalog = std::string(PREPSIM_SOURCE_DIR) + "/platforms/catalog.yaml";

TEST(DeviceKinds, RowsAreNamedOnceAndFound) {
  std::set<std::string_view> names;
  for (const DeviceKind& k : device_kinds()) {
    EXPECT_FALSE(k.name.empty());
    EXPECT_TRUE(names.insert(k.name).second) << k.name << " has two rows";
    EXPECT_EQ(find_device_kind(k.name), &k);
    EXPECT_NE(k.read, nullptr) << k.name;
  }
  // The kinds that are not devices have no row.
  for (const char* other : {"cpu", "storage", "disk", "nic", "memory", ""}) EXPECT_EQ(find_device_kind(other), nullptr);
}

TEST(DeviceKinds, EveryRowHasAShippedModelThatMatchesItsTraits) {
  Catalog cat = load_catalog(kCatalog);
  for (const DeviceKind& k : device_kinds()) {
    SCOPED_TRACE(std::string(k.name));
    int models = 0;
    for (const auto& [name, sku] : cat.skus) {
      if (sku.kind != k.name || sku.model == nullptr) continue;
      ++models;
      EXPECT_EQ(sku.model->kind, k.name) << name;
      EXPECT_EQ(sku.model->store().has_value(), k.stores_dataset) << name;
      if (k.stores_dataset) {
        EXPECT_GT(sku.model->store()->capacity, 0) << name;
        EXPECT_GT(sku.model->store()->read_bandwidth, 0) << name;
      }
      EXPECT_GE(sku.model->slots(), 1) << name;
    }
    EXPECT_GE(models, 1) << "the shipped catalog has no SKU of this kind with a model";
  }
}

TEST(DeviceKinds, EveryReaderRefusesAnUnknownKeyWhereItIsWritten) {
  config::Node tree = config::load_yaml_file(kCatalog);
  config::Node& skus = *tree.find("skus");
  for (const DeviceKind& k : device_kinds()) {
    SCOPED_TRACE(std::string(k.name));
    config::Node* model = nullptr;
    std::string sku;
    for (auto& [name, body] : skus.entries) {
      const config::Node* kind = body.find("kind");
      if (model == nullptr && kind != nullptr && kind->scalar == k.name && body.find("model") != nullptr) {
        model = body.find("model");
        sku = name;
      }
    }
    ASSERT_NE(model, nullptr);
    config::Node copy = *model;
    copy.set("bogus_key", config::Node::make_scalar("1", "catalog.yaml", 999));
    std::string path = "skus." + sku + ".model";
    try {
      read_device_model(std::string(k.name), copy, path, sku);
      ADD_FAILURE() << "bogus_key accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), path + ".bogus_key") << e.what();
      EXPECT_EQ(e.line(), 999) << e.what();
    }
    // Without it, the same map reads, named after the SKU unless it names itself.
    EXPECT_EQ(read_device_model(std::string(k.name), *model, path, sku)->kind, k.name);
  }
}

TEST(DeviceKinds, NonDeviceKindHasNoReader) {
  config::Node tree = config::load_yaml_string("m: {}\n", "c.yaml");
  EXPECT_THROW(read_device_model("cpu", *tree.find("m"), "m", "x"), DeviceError);
}

TEST(DeviceKinds, ListsForMessages) {
  std::vector<std::string> all = with_device_kinds({"cpu"}, {"memory"});
  ASSERT_EQ(all.size(), device_kinds().size() + 2);
  EXPECT_EQ(all.front(), "cpu");
  EXPECT_EQ(all.back(), "memory");
  for (std::size_t i = 0; i < device_kinds().size(); ++i) EXPECT_EQ(all[i + 1], device_kinds()[i].name);
  for (const std::string& k : kinds_where(&DeviceKind::stores_dataset)) {
    EXPECT_TRUE(find_device_kind(k)->stores_dataset) << k;
  }
  EXPECT_EQ(join_or({}), "");
  EXPECT_EQ(join_or({"a"}), "a");
  EXPECT_EQ(join_or({"a", "b"}), "a or b");
  EXPECT_EQ(join_or({"a", "b", "c"}), "a, b or c");
}

}  // namespace
}  // namespace prepsim::devices
