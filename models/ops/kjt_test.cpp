#include "models/ops/kjt.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "models/ops/dedup.h"
#include "models/ops/jagged.h"
#include "models/ops/random_inputs.h"
#include "models/ops/reference.h"

namespace prepsim::ops {
namespace {

bool same(const data::KeyedJaggedTensor& a, const data::KeyedJaggedTensor& b) {
  return a.keys == b.keys && a.values == b.values && a.lengths == b.lengths && a.offsets == b.offsets &&
         a.stride == b.stride;
}

TEST(Jagged, LengthsOffsetsReferenceVector) {
  const std::vector<std::int32_t> lengths = {2, 0, 1, 1, 1, 3};
  const std::vector<std::int64_t> offsets = {0, 2, 2, 3, 4, 5, 8};  // docs/sources.md#torchrec-kjt
  EXPECT_EQ(lengths_to_offsets(lengths), offsets);
  EXPECT_EQ(offsets_to_lengths(offsets), lengths);
  std::vector<std::int64_t> ref_offsets(offsets.size());
  reference::lengths_to_offsets(lengths, ref_offsets);
  EXPECT_EQ(ref_offsets, offsets);
  std::vector<std::int32_t> ref_lengths(lengths.size());
  reference::offsets_to_lengths(offsets, ref_lengths);
  EXPECT_EQ(ref_lengths, lengths);
  EXPECT_EQ(lengths_to_offsets(std::vector<std::int32_t>{}), std::vector<std::int64_t>{0});
}

TEST(Jagged, RandomRoundTripEqualsReference) {
  std::mt19937_64 rng(9);
  for (std::size_t n : {0u, 1u, 3u, 4u, 5u, 1001u}) {
    std::vector<std::int32_t> lengths(n);
    for (auto& l : lengths) l = static_cast<std::int32_t>(rng() % 100);
    const std::vector<std::int64_t> offsets = lengths_to_offsets(lengths);
    std::vector<std::int64_t> ref(n + 1);
    reference::lengths_to_offsets(lengths, ref);
    ASSERT_EQ(offsets, ref);
    ASSERT_EQ(offsets_to_lengths(offsets), lengths);
    ASSERT_EQ(check_offsets(offsets), "");
  }
}

TEST(Jagged, Checks) {
  EXPECT_EQ(check_jagged(3, std::vector<std::int32_t>{1, 2}), "");
  EXPECT_NE(check_jagged(4, std::vector<std::int32_t>{1, 2}).find("add up to 3"), std::string::npos);
  EXPECT_NE(check_jagged(0, std::vector<std::int32_t>{-1, 1}).find("negative"), std::string::npos);
  EXPECT_NE(check_offsets(std::vector<std::int64_t>{1, 2}).find("offsets[0]"), std::string::npos);
  EXPECT_NE(check_offsets(std::vector<std::int64_t>{0, 3, 2}).find("decrease"), std::string::npos);
  EXPECT_NE(check_offsets(std::vector<std::int64_t>{}), "");
}

TEST(ToKjt, FeatureMajorLayout) {
  const data::KeyedJaggedTensor kjt = to_kjt({"a", "b"}, {{{1, 2}, {}, {3}}, {{4}, {5, 6}, {}}});
  EXPECT_EQ(kjt.keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(kjt.stride, 3);
  EXPECT_EQ(kjt.values, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(kjt.lengths, (std::vector<std::int32_t>{2, 0, 1, 1, 2, 0}));
  EXPECT_EQ(kjt.offsets, (std::vector<std::int64_t>{0, 2, 2, 3, 4, 6, 6}));
  EXPECT_EQ(check_kjt(kjt), "");
  EXPECT_EQ(std::vector<std::int64_t>(kjt_list(kjt, 1, 1).begin(), kjt_list(kjt, 1, 1).end()),
            (std::vector<std::int64_t>{5, 6}));
  const data::KeyedJaggedTensor ref =
      reference::to_kjt({"a", "b"}, {Jagged{{1, 2, 3}, {2, 0, 1}}, Jagged{{4, 5, 6}, {1, 2, 0}}});
  EXPECT_TRUE(same(kjt, ref));
}

TEST(ToKjt, Checks) {
  const Jagged a{{1, 2}, {1, 1}};
  const Jagged b{{1}, {1}};
  const std::vector<FeatureLists> mismatched = {{"a", a.view()}, {"b", b.view()}};
  EXPECT_NE(check_to_kjt(mismatched).find("feature 'b' has 1 lists"), std::string::npos);
  const Jagged bad{{1}, {2}};
  const std::vector<FeatureLists> inconsistent = {{"c", bad.view()}};
  EXPECT_NE(check_to_kjt(inconsistent).find("feature 'c'"), std::string::npos);
  data::KeyedJaggedTensor kjt = to_kjt({"a"}, {{{1}, {2, 3}}});
  kjt.offsets[1] = 2;
  EXPECT_NE(check_kjt(kjt), "");
  kjt.stride = 3;
  EXPECT_NE(check_kjt(kjt).find("keys * stride"), std::string::npos);
}

TEST(Dedup, UniqueRowsInFirstAppearanceOrder) {
  // Rows span both keys: samples 0 and 2 are equal, sample 3 equals sample 0 in key a only.
  const data::KeyedJaggedTensor kjt = to_kjt({"a", "b"}, {{{1, 2}, {3}, {1, 2}, {1, 2}, {}}, {{7}, {}, {7}, {8}, {}}});
  const data::InverseKJT ikjt = dedup(kjt);
  EXPECT_EQ(ikjt.inverse, (std::vector<std::int32_t>{0, 1, 0, 2, 3}));
  EXPECT_EQ(ikjt.unique.stride, 4);
  EXPECT_TRUE(same(ikjt.unique, to_kjt({"a", "b"}, {{{1, 2}, {3}, {1, 2}, {}}, {{7}, {}, {8}, {}}})));
  EXPECT_EQ(check_inverse_kjt(ikjt), "");
  EXPECT_TRUE(same(expand(ikjt), kjt));
}

TEST(Dedup, ListBoundariesMatter) {
  // ([1,2], []) and ([1], [2]) hold the same ids in the same order but are different rows.
  const data::KeyedJaggedTensor kjt = to_kjt({"a", "b"}, {{{1, 2}, {1}}, {{}, {2}}});
  EXPECT_EQ(dedup(kjt).inverse, (std::vector<std::int32_t>{0, 1}));
}

TEST(Dedup, EmptyBatch) {
  const data::KeyedJaggedTensor empty = to_kjt({"a"}, {{}});
  const data::InverseKJT e = dedup(empty);
  EXPECT_TRUE(e.inverse.empty());
  EXPECT_EQ(e.unique.stride, 0);
  EXPECT_TRUE(same(expand(e), empty));
}

TEST(Dedup, ChecksInverse) {
  data::InverseKJT ikjt = dedup(to_kjt({"a"}, {{{1}, {1}}}));
  ikjt.inverse[1] = 5;
  EXPECT_NE(check_inverse_kjt(ikjt).find("inverse[1] = 5"), std::string::npos);
}

// Property: on random KJTs with duplication, dedup equals the std::map reference exactly, has one unique row per
// distinct row, and expand(dedup(kjt)) == kjt.
TEST(Dedup, RoundTripAndReferenceOnRandomBatches) {
  std::mt19937_64 rng(17);
  DedupScratch scratch;
  data::InverseKJT ikjt;
  data::KeyedJaggedTensor back;
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t keys = rng() % 4 + 1;
    const std::size_t stride = rng() % 700;
    const std::size_t distinct = rng() % 60 + 1;
    const data::KeyedJaggedTensor kjt = testing::random_kjt(rng, keys, stride, distinct, 4);
    ASSERT_EQ(check_kjt(kjt), "");
    dedup(kjt, ikjt, &scratch);
    const data::InverseKJT ref = reference::dedup(kjt);
    ASSERT_EQ(ikjt.inverse, ref.inverse);
    ASSERT_TRUE(same(ikjt.unique, ref.unique));
    std::set<std::vector<std::vector<std::int64_t>>> rows;
    for (std::size_t s = 0; s < stride; ++s) {
      std::vector<std::vector<std::int64_t>> row;
      for (std::size_t k = 0; k < keys; ++k) {
        const auto l = kjt_list(kjt, k, s);
        row.emplace_back(l.begin(), l.end());
      }
      rows.insert(row);
    }
    ASSERT_EQ(static_cast<std::size_t>(ikjt.unique.stride), rows.size());
    expand(ikjt, back);
    ASSERT_TRUE(same(back, kjt));
    ASSERT_TRUE(same(reference::expand(ref), kjt));
  }
}

}  // namespace
}  // namespace prepsim::ops
