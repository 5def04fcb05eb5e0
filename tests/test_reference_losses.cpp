// Compares tensorgrad's losses with PyTorch on the reference fixtures of
// tests/fixtures/losses_reference.txt (written by tests/gen_fixtures_losses.py): outputs, first
// derivatives (with create_graph) and second derivatives, in float64, of every loss for each
// reduction (None, Mean, Sum) and with the default arguments; with class weights, weight and
// pos_weight, ignore_index (all of a batch ignored too: PyTorch's mean is then nan),
// label_smoothing, class-probability targets, [C], [N, C], [N, C, d] and [N, C, d1, d2] inputs,
// binary_cross_entropy at and near 0 and 1 (where PyTorch clamps the logs at -100 and the
// gradient's denominator at 1e-12), and extreme logits (+-100, +-1000).
//
// For each case: out = f(inputs); g = grad({out}, inputs, {gout}, create_graph=true);
// s = sum_j (g_j * v_j).sum(); gg = grad({s}, inputs, allow_unused=true). Every value must match
// torch's to |a - b| <= 1e-10 |b| + 1e-12 (nan where torch gives nan). A second derivative torch
// returns as a tensor (zeros included) must be a defined tensor here too; where torch returns
// None, an undefined tensor or an all-zero one is accepted.
//
// The differentiable inputs of a case are the input and, where PyTorch differentiates it, the
// target; class-index targets and weights are constants, spelled out below as in the script.
// Each case name of the fixture file needs a lambda in cases() below; LossFixtureTable.* checks
// that the two lists agree. The file format and loader are those of the core fixtures
// (fixture_loader.h).

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <tensorgrad/tensorgrad.h>

#include "fixture_loader.h"
#include "reference_harness.h"

namespace {

using tg::Tensor;
using TL = std::vector<Tensor>;
using CaseFn = std::function<Tensor(const TL&)>;
using Table = std::map<std::string, CaseFn>;
namespace R = tg::Reduction;


const char* const kFixtureFile = TG_FIXTURE_DIR "/losses_reference.txt";

// ---- the constants of gen_fixtures_losses.py ----------------------------------------------------

const tg::TensorOptions kF64 = tg::TensorOptions().dtype(tg::kFloat64);

Tensor f64(tg::detail::TensorDataContainer d) { return tg::tensor(std::move(d), kF64); }

// class-index targets (int64)
Tensor t5() { return tg::tensor({1, 0, 3, 3, 2}); }
Tensor t5_ign() { return tg::tensor({1, -100, 3, 3, -100}); }
Tensor t5_ign_neg1() { return tg::tensor({1, -1, 0, 2, -1}); }
Tensor t5_all_ign() { return tg::tensor({-100, -100, -100, -100, -100}); }
Tensor t23() { return tg::tensor({{1, 0, 3}, {2, 2, 1}}); }
Tensor t23_ign() { return tg::tensor({{1, -100, 3}, {2, 2, -100}}); }
Tensor t222() { return tg::tensor({{{0, 2}, {1, 1}}, {{2, 0}, {0, 1}}}); }
Tensor t3() { return tg::tensor({0, 3, 1}); }
// class weights
Tensor w4() { return f64({0.5, 2.0, 1.5, 0.25}); }
Tensor w3() { return f64({0.7, 1.3, 2.0}); }
// elementwise weights of binary_cross_entropy(_with_logits)
Tensor bw34() { return f64({{0.5, 1.5, 2.0, 0.25}, {1.0, 0.75, 3.0, 0.1}, {2.5, 0.6, 1.2, 0.9}}); }
Tensor bw4() { return f64({0.3, 1.7, 1.0, 2.2}); }
Tensor bw24() { return f64({{0.5, 1.5, 2.0, 0.25}, {1.0, 0.75, 3.0, 0.1}}); }
Tensor bw25() { return f64({{0.5, 1.5, 2.0, 0.25, 1.1}, {1.0, 0.75, 3.0, 0.1, 0.6}}); }
Tensor pw4() { return f64({0.5, 2.0, 3.0, 1.0}); }
// the constant target of the bce_edge cases
Tensor bce_edge_t() { return f64({{0.3, 0.6, 0.0, 1.0, 0.2}, {0.9, 0.1, 0.0, 1.0, 0.5}}); }
// the constant target of the kl_zeros cases
Tensor kl_zero_t() { return f64({{0.0, 0.2, 0.5, 0.3}, {0.0, 0.0, 1.0, 0.0}, {0.25, 0.25, 0.0, 0.5}}); }
// the rarer losses' constants
Tensor sign34() { return f64({{1.0, -1.0, -1.0, 1.0}, {-1.0, 1.0, 1.0, 1.0}, {-1.0, -1.0, 1.0, -1.0}}); }
Tensor sign5() { return f64({1.0, -1.0, -1.0, 1.0, -1.0}); }
Tensor sign4() { return f64({1.0, -1.0, 1.0, -1.0}); }
Tensor hinge_t34() { return f64({{1.0, -1.0, 0.0, 1.0}, {-1.0, 2.0, 1.0, -1.0}, {-1.0, -1.0, 1.0, 0.5}}); }
Tensor mm_t5() { return tg::tensor({1, 0, 3, 3, 2}); }
Tensor mlm_t34() { return tg::tensor({{3, 0, -1, 1}, {1, 2, 3, 0}, {-1, 2, 0, 1}}); }
Tensor mlm_t4() { return tg::tensor({2, 1, -1, 0}); }
Tensor mw4() { return f64({0.5, 2.0, 1.5, 0.25}); }

// ---- the cases -------------------------------------------------------------------------------------

using RedFn = std::function<Tensor(const TL&, int64_t)>;

// The cases "<base>_none", "<base>_mean" and "<base>_sum" of gen_fixtures_losses.py's reductions().
void add_reductions(Table& t, const std::string& base, const RedFn& f) {
  const std::pair<const char*, int64_t> reds[] = {{"_none", R::None}, {"_mean", R::Mean}, {"_sum", R::Sum}};
  for (const auto& [suffix, r] : reds) t.emplace(base + suffix, [f, r = r](const TL& x) { return f(x, r); });
}

// The loss option for a tg::Reduction value (for the F:: forms).
tg::reduction_t reduction_option(int64_t r) {
  if (r == R::None) return tg::kNone;
  if (r == R::Sum) return tg::kSum;
  return tg::kMean;
}

#define TG_CASE(name, ...) t.emplace(name, [](const TL& x) -> Tensor { return __VA_ARGS__; })
// `r` is the reduction in the expression.
#define TG_RED(base, ...) add_reductions(t, base, [](const TL& x, int64_t r) -> Tensor { return __VA_ARGS__; })

const Table& cases() {
  static const Table table = [] {
    Table t;
    // ---- mse_loss -------------------------------------------------------------------------------
    TG_RED("mse", tg::mse_loss(x[0], x[1], r));
    TG_RED("mse_3d", tg::mse_loss(x[0], x[1], r));
    TG_RED("mse_0d", tg::mse_loss(x[0], x[1], r));
    TG_CASE("mse_default", tg::mse_loss(x[0], x[1]));

    // ---- l1_loss ----------------------------------------------------------------------------------
    TG_RED("l1", tg::l1_loss(x[0], x[1], r));
    TG_RED("l1_3d", tg::l1_loss(x[0], x[1], r));
    TG_CASE("l1_default", tg::l1_loss(x[0], x[1]));

    // ---- smooth_l1_loss ---------------------------------------------------------------------------
    TG_RED("smooth_l1_beta0_5", tg::smooth_l1_loss(x[0], x[1], r, 0.5));
    TG_RED("smooth_l1_beta1", tg::smooth_l1_loss(x[0], x[1], r, 1.0));
    TG_RED("smooth_l1_beta2", tg::smooth_l1_loss(x[0], x[1], r, 2.0));
    TG_RED("smooth_l1_beta0", tg::smooth_l1_loss(x[0], x[1], r, 0.0));
    TG_RED("smooth_l1_3d", tg::smooth_l1_loss(x[0], x[1], r));
    TG_CASE("smooth_l1_default", tg::smooth_l1_loss(x[0], x[1]));

    // ---- huber_loss -------------------------------------------------------------------------------
    TG_RED("huber_delta0_5", tg::huber_loss(x[0], x[1], r, 0.5));
    TG_RED("huber_delta1", tg::huber_loss(x[0], x[1], r, 1.0));
    TG_RED("huber_delta2_5", tg::huber_loss(x[0], x[1], r, 2.5));
    TG_CASE("huber_default", tg::huber_loss(x[0], x[1]));

    // ---- binary_cross_entropy ------------------------------------------------------------------------
    TG_RED("bce", tg::binary_cross_entropy(x[0], x[1], {}, r));
    TG_RED("bce_weight", tg::binary_cross_entropy(x[0], x[1], bw34(), r));
    TG_RED("bce_weight_row", tg::binary_cross_entropy(x[0], x[1], bw4(), r));
    TG_RED("bce_edge", tg::binary_cross_entropy(x[0], bce_edge_t(), {}, r));
    TG_RED("bce_edge_weight", tg::binary_cross_entropy(x[0], bce_edge_t(), bw25(), r));
    TG_RED("bce_near", tg::binary_cross_entropy(x[0], x[1], {}, r));
    TG_RED("bce_near_weight", tg::binary_cross_entropy(x[0], x[1], bw24(), r));
    TG_CASE("bce_default", tg::binary_cross_entropy(x[0], x[1]));

    // ---- binary_cross_entropy_with_logits ---------------------------------------------------------------
    TG_RED("bcel", tg::binary_cross_entropy_with_logits(x[0], x[1], {}, {}, r));
    TG_RED("bcel_weight", tg::binary_cross_entropy_with_logits(x[0], x[1], bw34(), {}, r));
    TG_RED("bcel_weight_row", tg::binary_cross_entropy_with_logits(x[0], x[1], bw4(), {}, r));
    TG_RED("bcel_posweight", tg::binary_cross_entropy_with_logits(x[0], x[1], {}, pw4(), r));
    TG_RED("bcel_weight_posweight", tg::binary_cross_entropy_with_logits(x[0], x[1], bw34(), pw4(), r));
    TG_RED("bcel_extreme", tg::binary_cross_entropy_with_logits(x[0], x[1], {}, {}, r));
    TG_RED("bcel_extreme100", tg::binary_cross_entropy_with_logits(x[0], x[1], {}, {}, r));
    TG_RED("bcel_extreme_binary", tg::binary_cross_entropy_with_logits(x[0], x[1], {}, {}, r));
    TG_RED("bcel_extreme_posweight", tg::binary_cross_entropy_with_logits(x[0], x[1], {}, pw4(), r));
    TG_RED("bcel_extreme_weight_posweight", tg::binary_cross_entropy_with_logits(x[0], x[1], bw24(), pw4(), r));
    TG_RED("bcel_extreme100_posweight", tg::binary_cross_entropy_with_logits(x[0], x[1], {}, pw4(), r));
    TG_CASE("bcel_default", tg::binary_cross_entropy_with_logits(x[0], x[1]));

    // ---- nll_loss ------------------------------------------------------------------------------------
    TG_RED("nll", tg::nll_loss(x[0], t5(), {}, r));
    TG_RED("nll_weight", tg::nll_loss(x[0], t5(), w4(), r));
    TG_RED("nll_ignore", tg::nll_loss(x[0], t5_ign(), {}, r));
    TG_RED("nll_ignore3", tg::nll_loss(x[0], t5(), {}, r, 3));
    TG_RED("nll_weight_ignore", tg::nll_loss(x[0], t5_ign(), w4(), r));
    TG_RED("nll_weight_ignore_neg1", tg::nll_loss(x[0], t5_ign_neg1(), w4(), r, -1));
    TG_RED("nll_all_ignored", tg::nll_loss(x[0], t5_all_ign(), {}, r));
    TG_RED("nll_all_ignored_weight", tg::nll_loss(x[0], t5_all_ign(), w4(), r));
    TG_RED("nll_1d", tg::nll_loss(x[0], tg::tensor(2), {}, r));
    TG_RED("nll_1d_weight", tg::nll_loss(x[0], tg::tensor(1), w4(), r));
    TG_RED("nll_1d_ignored", tg::nll_loss(x[0], tg::tensor(-100), {}, r));
    TG_RED("nll_3d", tg::nll_loss(x[0], t23(), {}, r));
    TG_RED("nll_3d_weight_ignore", tg::nll_loss(x[0], t23_ign(), w4(), r));
    TG_RED("nll_4d_weight", tg::nll_loss(x[0], t222(), w3(), r));
    TG_CASE("nll_default", tg::nll_loss(x[0], t5()));

    // ---- cross_entropy: class-index targets ---------------------------------------------------------------
    TG_RED("ce", tg::cross_entropy(x[0], t5(), {}, r));
    TG_RED("ce_weight", tg::cross_entropy(x[0], t5(), w4(), r));
    TG_RED("ce_ignore", tg::cross_entropy(x[0], t5_ign(), {}, r));
    TG_RED("ce_weight_ignore_neg1", tg::cross_entropy(x[0], t5_ign_neg1(), w4(), r, -1));
    TG_RED("ce_all_ignored", tg::cross_entropy(x[0], t5_all_ign(), {}, r));
    TG_RED("ce_1d", tg::cross_entropy(x[0], tg::tensor(2), {}, r));
    TG_RED("ce_3d", tg::cross_entropy(x[0], t23(), {}, r));
    TG_RED("ce_4d_weight", tg::cross_entropy(x[0], t222(), w3(), r));
    TG_RED("ce_extreme100", tg::cross_entropy(x[0], t3(), {}, r));
    TG_RED("ce_extreme1000", tg::cross_entropy(x[0], t3(), {}, r));
    TG_CASE("ce_default", tg::cross_entropy(x[0], t5()));

    // ---- cross_entropy: label smoothing (through libtorch's name cross_entropy_loss too) -------------------
    TG_RED("ce_ls", tg::cross_entropy(x[0], t5(), {}, r, -100, 0.1));
    TG_RED("ce_ls_weight", tg::cross_entropy_loss(x[0], t5(), w4(), r, -100, 0.2));
    TG_RED("ce_ls_ignore", tg::cross_entropy(x[0], t5_ign(), {}, r, -100, 0.1));
    TG_RED("ce_ls_weight_ignore", tg::cross_entropy_loss(x[0], t5_ign(), w4(), r, -100, 0.3));
    TG_RED("ce_ls_weight_ignore3", tg::cross_entropy(x[0], t5(), w4(), r, 3, 0.25));
    TG_RED("ce_ls_all_ignored", tg::cross_entropy(x[0], t5_all_ign(), {}, r, -100, 0.2));
    TG_RED("ce_ls_1", tg::cross_entropy(x[0], t5(), {}, r, -100, 1.0));
    TG_RED("ce_ls_1d", tg::cross_entropy(x[0], tg::tensor(2), {}, r, -100, 0.1));
    TG_RED("ce_ls_3d_weight_ignore", tg::cross_entropy(x[0], t23_ign(), w4(), r, -100, 0.15));
    TG_RED("ce_ls_extreme1000_weight", tg::cross_entropy(x[0], t3(), w4(), r, -100, 0.1));

    // ---- cross_entropy: class-probability targets -----------------------------------------------------------
    TG_RED("ce_prob", tg::cross_entropy(x[0], x[1], {}, r));
    TG_RED("ce_prob_weight", tg::cross_entropy(x[0], x[1], w4(), r));
    TG_RED("ce_prob_ls", tg::cross_entropy(x[0], x[1], {}, r, -100, 0.15));
    TG_RED("ce_prob_ls_weight", tg::cross_entropy_loss(x[0], x[1], w4(), r, -100, 0.3));
    TG_RED("ce_prob_unnormalized", tg::cross_entropy(x[0], x[1], {}, r));
    TG_RED("ce_prob_1d", tg::cross_entropy(x[0], x[1], {}, r));
    TG_RED("ce_prob_3d_weight", tg::cross_entropy(x[0], x[1], w4(), r));
    TG_RED("ce_prob_extreme1000", tg::cross_entropy(x[0], x[1], {}, r));
    TG_RED("ce_prob_extreme100_ls", tg::cross_entropy(x[0], x[1], {}, r, -100, 0.1));

    // ---- kl_div -----------------------------------------------------------------------------------------
    TG_RED("kl", tg::kl_div(x[0], x[1], r));
    TG_RED("kl_zeros", tg::kl_div(x[0], kl_zero_t(), r));
    TG_RED("kl_log_target", tg::kl_div(x[0], x[1], r, true));
    TG_RED("kl_3d", tg::kl_div(x[0], x[1], r));
    TG_CASE("kl_default", tg::kl_div(x[0], x[1]));

    // ---- the rarer losses (compositions: no node names) ------------------------------------------
    namespace F = tg::nn::functional;
    TG_RED("soft_margin", tg::soft_margin_loss(x[0], sign34(), r));
    TG_RED("soft_margin_1d", tg::soft_margin_loss(x[0], sign5(), r));
    TG_CASE("soft_margin_default", F::soft_margin_loss(x[0], sign34()));

    TG_RED("multilabel_soft_margin", F::multilabel_soft_margin_loss(
                                         x[0], x[1], F::MultilabelSoftMarginLossFuncOptions().reduction(reduction_option(r))));
    TG_RED("multilabel_soft_margin_weight",
           F::multilabel_soft_margin_loss(x[0], x[1], F::MultilabelSoftMarginLossFuncOptions().weight(mw4()).reduction(
                                                          reduction_option(r))));
    TG_CASE("multilabel_soft_margin_default", F::multilabel_soft_margin_loss(x[0], x[1]));

    TG_RED("hinge_embedding", tg::hinge_embedding_loss(x[0].square(), hinge_t34(), 1.0, r));
    TG_RED("hinge_embedding_margin2", tg::hinge_embedding_loss(x[0].square(), hinge_t34(), 2.0, r));
    TG_CASE("hinge_embedding_default", F::hinge_embedding_loss(x[0].square(), hinge_t34()));

    TG_RED("multi_margin", tg::multi_margin_loss(x[0].square(), mm_t5(), 1, 1.0, {}, r));
    TG_RED("multi_margin_p2", tg::multi_margin_loss(x[0].square(), mm_t5(), 2, 1.0, {}, r));
    TG_RED("multi_margin_margin_weight", tg::multi_margin_loss(x[0].square(), mm_t5(), 1, 0.5, mw4(), r));
    TG_RED("multi_margin_p2_margin_weight", tg::multi_margin_loss(x[0].square(), mm_t5(), 2, 2.0, mw4(), r));
    TG_RED("multi_margin_1d", tg::multi_margin_loss(x[0].square(), tg::tensor(2), 1, 1, {}, r));
    TG_CASE("multi_margin_default", F::multi_margin_loss(x[0].square(), mm_t5()));

    TG_RED("cosine_embedding", tg::cosine_embedding_loss(x[0], x[1], sign4(), 0.0, r));
    TG_RED("cosine_embedding_margin", tg::cosine_embedding_loss(x[0], x[1], sign4(), -0.5, r));
    TG_RED("cosine_embedding_1d_pos", tg::cosine_embedding_loss(x[0], x[1], f64(1.0), 0.0, r));
    TG_RED("cosine_embedding_1d_neg", tg::cosine_embedding_loss(x[0], x[1], f64(-1.0), -0.9, r));
    TG_CASE("cosine_embedding_default", F::cosine_embedding_loss(x[0], x[1], sign4()));

    TG_RED("multilabel_margin", tg::multilabel_margin_loss(x[0].square(), mlm_t34(), r));
    TG_RED("multilabel_margin_1d", tg::multilabel_margin_loss(x[0].square(), mlm_t4(), r));
    TG_CASE("multilabel_margin_default", F::multilabel_margin_loss(x[0].square(), mlm_t34()));

    TG_RED("triplet_margin", tg::triplet_margin_loss(x[0], x[1], x[2], 1.0, 2, 1e-6, false, r));
    TG_RED("triplet_margin_swap", tg::triplet_margin_loss(x[0], x[1], x[2], 1.0, 2, 1e-6, true, r));
    TG_RED("triplet_margin_p1", tg::triplet_margin_loss(x[0].square(), x[1], x[2], 0.5, 1, 1e-6, false, r));
    TG_RED("triplet_margin_p3_eps", tg::triplet_margin_loss(x[0], x[1], x[2], 2.0, 3, 1e-3, false, r));
    TG_RED("triplet_margin_1d", tg::triplet_margin_loss(x[0], x[1], x[2], 1.5, 2, 1e-6, false, r));
    TG_CASE("triplet_margin_default", F::triplet_margin_loss(x[0], x[1], x[2]));

    TG_RED("triplet_distance",
           F::triplet_margin_with_distance_loss(
               x[0], x[1], x[2], F::TripletMarginWithDistanceLossFuncOptions().reduction(reduction_option(r))));
    TG_RED("triplet_distance_cosine_swap",
           F::triplet_margin_with_distance_loss(
               x[0], x[1], x[2],
               F::TripletMarginWithDistanceLossFuncOptions()
                   .distance_function([](const Tensor& a, const Tensor& b) { return 1.0 - tg::cosine_similarity(a, b); })
                   .margin(0.5)
                   .swap(true)
                   .reduction(reduction_option(r))));
    TG_CASE("triplet_distance_default", F::triplet_margin_with_distance_loss(x[0], x[1], x[2]));

    TG_RED("poisson_nll", tg::poisson_nll_loss(x[0], x[1], true, false, 1e-8, r));
    TG_RED("poisson_nll_rate", tg::poisson_nll_loss(x[0], x[1], false, false, 1e-8, r));
    TG_RED("poisson_nll_full", tg::poisson_nll_loss(x[0], x[1], true, true, 1e-8, r));
    TG_RED("poisson_nll_rate_full_eps", tg::poisson_nll_loss(x[0], x[1], false, true, 0.1, r));
    TG_CASE("poisson_nll_default", F::poisson_nll_loss(x[0], x[1]));

    TG_RED("margin_ranking", tg::margin_ranking_loss(x[0].square(), x[1].square(), sign5(), 0.0, r));
    TG_RED("margin_ranking_margin", tg::margin_ranking_loss(x[0].square(), x[1].square(), sign5(), 0.5, r));
    TG_CASE("margin_ranking_default", F::margin_ranking_loss(x[0].square(), x[1].square(), sign5()));

    // ---- distances --------------------------------------------------------------------------------
    TG_CASE("cosine_similarity_default", F::cosine_similarity(x[0], x[1]));
    TG_CASE("cosine_similarity_dim0", tg::cosine_similarity(x[0], x[1], 0));
    TG_CASE("cosine_similarity_broadcast", F::cosine_similarity(x[0], x[1], F::CosineSimilarityFuncOptions().dim(-1)));
    TG_CASE("cosine_similarity_clamped", tg::cosine_similarity(x[0], x[1], 1, 0.5));

    const double inf = std::numeric_limits<double>::infinity();
    TG_CASE("pairwise_distance_default", F::pairwise_distance(x[0], x[1]));
    TG_CASE("pairwise_distance_p1", F::pairwise_distance(x[0].square(), x[1], F::PairwiseDistanceFuncOptions().p(1)));
    TG_CASE("pairwise_distance_p3_keepdim", tg::pairwise_distance(x[0], x[1], 3, 1e-6, true));
    TG_CASE("pairwise_distance_p0_5_eps0", tg::pairwise_distance(x[0], x[1], 0.5, 0.0));
    t.emplace("pairwise_distance_inf", [inf](const TL& x) { return tg::pairwise_distance(x[0].square(), x[1], inf); });
    TG_CASE("pairwise_distance_broadcast", tg::pairwise_distance(x[0], x[1]));
    TG_CASE("pairwise_distance_1d", tg::pairwise_distance(x[0], x[1], 1.5));

    TG_CASE("pdist_default", F::pdist(x[0]));
    TG_CASE("pdist_p1", tg::pdist(x[0].square(), 1));
    TG_CASE("pdist_p3", tg::pdist(x[0], 3));
    TG_CASE("pdist_p1_5", F::pdist(x[0], 1.5));
    t.emplace("pdist_inf", [inf](const TL& x) { return tg::pdist(x[0].square(), inf); });
    return t;
  }();
  return table;
}

#undef TG_RED
#undef TG_CASE

// ---- the fixture file ---------------------------------------------------------------------------

const tg_reference::Loaded& loaded() {
  static const tg_reference::Loaded l = tg_reference::load(kFixtureFile);
  return l;
}
const tg_fixtures::Case* find_case(const std::string& name) { return tg_reference::find_case(loaded(), name); }
std::vector<std::string> fixture_case_names() { return tg_reference::case_names(loaded()); }

// ---- the tests ----------------------------------------------------------------------------------------

class ReferenceLosses : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceLosses, MatchesTorch) {
  const std::string& name = GetParam();
  const tg_fixtures::Case* fc = find_case(name);
  ASSERT_NE(fc, nullptr) << "no fixture case " << name;
  auto it = cases().find(name);
  ASSERT_NE(it, cases().end()) << "case " << name << " (" << kFixtureFile << ":" << fc->line
                               << ") has no lambda in test_reference_losses.cpp";
  SCOPED_TRACE("case " + name + " (" + kFixtureFile + ":" + std::to_string(fc->line) + ")");
  tg_reference::run_case(fc, it->second);
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceLosses, ::testing::ValuesIn(fixture_case_names()), param_name);
// When the fixture file cannot be read there are no cases; LossFixtureTable.FileLoads says why.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReferenceLosses);

TEST(LossFixtureTable, FileLoads) {
  EXPECT_TRUE(loaded().error.empty()) << loaded().error;
  EXPECT_GT(loaded().cases.size(), 0u) << "no cases in " << kFixtureFile;
}

TEST(LossFixtureTable, EveryCaseHasALambda) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const auto& c : loaded().cases)
    EXPECT_TRUE(cases().count(c.name)) << "fixture case " << c.name << " (" << kFixtureFile << ":" << c.line
                                       << ") has no lambda in test_reference_losses.cpp";
}

TEST(LossFixtureTable, EveryLambdaHasACase) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const auto& kv : cases())
    EXPECT_NE(find_case(kv.first), nullptr) << "lambda " << kv.first << " has no case in " << kFixtureFile
                                            << " (add it to tests/gen_fixtures_losses.py and rerun the script)";
}

}  // namespace
