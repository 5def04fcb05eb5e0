// Compares tensorgrad with PyTorch on the reference fixtures of tests/fixtures/core_reference.txt
// (written by tests/gen_fixtures.py): outputs, first derivatives (with create_graph) and second
// derivatives of every differentiable core op, in float64.
//
// For each case: out = f(inputs); g = grad({out}, inputs, {gout}, create_graph=true);
// s = sum_j (g_j * v_j).sum(); gg = grad({s}, inputs, allow_unused=true). Every value must match
// torch's to |a - b| <= 1e-10 |b| + 1e-12. A second derivative torch returns as a tensor (zeros
// included) must be a defined tensor here too; where torch returns None, an undefined tensor or
// an all-zero one is accepted.
//
// Each case name of the fixture file needs a lambda in cases() below, written with tensorgrad's
// public API exactly as the torch expression in gen_fixtures.py; FixtureTable.* checks that the
// two lists agree.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <tensorgrad/tensorgrad.h>

#include "fixture_loader.h"
#include "reference_harness.h"

namespace {

using tg::indexing::Ellipsis;
using tg::indexing::None;
using tg::indexing::Slice;

using tg::Tensor;
using TL = std::vector<Tensor>;
namespace F = tg::nn::functional;
using CaseFn = std::function<Tensor(const TL&)>;


const char* const kFixtureFile = TG_FIXTURE_DIR "/core_reference.txt";

// The fixed mask of the where() cases (MASK23 in gen_fixtures.py).
Tensor mask23() { return tg::tensor({{true, false, true}, {false, false, true}}); }

#define TG_CASE(name, ...) \
  { name, [](const TL& x) -> Tensor { return __VA_ARGS__; } }

// y = a * 1; y[index] = v (the setitem() cases of gen_fixtures.py).
Tensor set_item(const Tensor& a, const std::vector<tg::indexing::TensorIndex>& index, const Tensor& v) {
  Tensor y = a * 1;
  y.index_put_(index, v);
  return y;
}

// `base` alone, and (base * v.sum()).sin() (the INDEX_PUT_CASES of gen_fixtures.py).
#define TG_PUT_CASE(name, ...) TG_CASE(name, __VA_ARGS__), TG_CASE(name "_sin", ((__VA_ARGS__)*x[1].sum()).sin())

// `base` alone, and `base` followed by sin() (the "<name>_sin" cases of SHAPE_OPS).
#define TG_SHAPE_CASE(name, ...) TG_CASE(name, __VA_ARGS__), TG_CASE(name "_sin", (__VA_ARGS__).sin())

const std::map<std::string, CaseFn>& cases() {
  static const std::map<std::string, CaseFn> table = {
      // ---- add / sub / mul / div ------------------------------------------------------------
      TG_CASE("add_same", x[0] + x[1]),
      TG_CASE("add_broadcast_row", x[0] + x[1]),
      TG_CASE("add_broadcast_3d", x[0] + x[1]),
      TG_CASE("add_size1", tg::add(x[0], x[1])),
      TG_CASE("add_alpha", x[0].add(x[1], 2.5)),
      TG_CASE("add_alpha_broadcast", tg::add(x[0], x[1], -0.5)),
      TG_CASE("add_scalar", x[0] + 1.5),
      TG_CASE("add_scalar_lhs", 1.5 + x[0]),
      TG_CASE("add_scalar_alpha", x[0].add(2.0, 3)),
      TG_CASE("add_self", x[0] + x[0]),
      TG_CASE("sub_same", x[0] - x[1]),
      TG_CASE("sub_broadcast_3d", x[0] - x[1]),
      TG_CASE("sub_alpha", tg::sub(x[0], x[1], 0.75)),
      TG_CASE("sub_scalar", x[0] - 2.5),
      TG_CASE("sub_scalar_lhs", 2.5 - x[0]),
      TG_CASE("mul_same", x[0] * x[1]),
      TG_CASE("mul_broadcast", x[0] * x[1]),
      TG_CASE("mul_broadcast_3d", x[0] * x[1]),
      TG_CASE("mul_size1", tg::mul(x[0], x[1])),
      TG_CASE("mul_scalar", x[0] * 3.0),
      TG_CASE("mul_scalar_lhs", -2.0 * x[0]),
      TG_CASE("mul_self", x[0] * x[0]),
      TG_CASE("mul_extreme", x[0] * x[1]),
      TG_CASE("div_same", x[0] / x[1]),
      TG_CASE("div_broadcast_row", x[0] / x[1]),
      TG_CASE("div_broadcast_3d", tg::div(x[0], x[1])),
      TG_CASE("div_scalar", x[0] / 4.0),
      TG_CASE("div_scalar_lhs", 2.0 / x[0]),
      TG_CASE("div_extreme", x[0] / x[1]),
      TG_CASE("neg", -x[0]),
      TG_CASE("neg_method", x[0].neg().mul(x[0])),

      // ---- pow ----------------------------------------------------------------------------------
      TG_CASE("pow_scalar_2", x[0].pow(2.0)),
      TG_CASE("pow_scalar_3", x[0].pow(3.0)),
      TG_CASE("pow_scalar_int_3", tg::pow(x[0], 3)),
      TG_CASE("pow_scalar_0_5", x[0].pow(0.5)),
      TG_CASE("pow_scalar_neg1_5", x[0].pow(-1.5)),
      TG_CASE("pow_scalar_1", x[0].pow(1.0)),
      TG_CASE("pow_scalar_0", x[0].pow(0.0)),
      TG_CASE("pow_scalar_0_5_extreme", x[0].pow(0.5)),
      TG_CASE("pow_tensor", x[0].pow(x[1])),
      TG_CASE("pow_tensor_broadcast", tg::pow(x[0], x[1])),
      TG_CASE("pow_tensor_broadcast_base", tg::pow(x[0], x[1])),
      TG_CASE("pow_scalar_base", tg::pow(2.0, x[0])),
      TG_CASE("pow_scalar_base_e", tg::pow(0.5, x[0])),

      // ---- unary pointwise ----------------------------------------------------------------------
      TG_CASE("exp", x[0].exp()),
      TG_CASE("exp_extreme", tg::exp(x[0])),
      TG_CASE("log", x[0].log()),
      TG_CASE("log_extreme", tg::log(x[0])),
      TG_CASE("log1p", x[0].log1p()),
      TG_CASE("log1p_extreme", tg::log1p(x[0])),
      TG_CASE("expm1", x[0].expm1()),
      TG_CASE("expm1_extreme", tg::expm1(x[0])),
      TG_CASE("sqrt", x[0].sqrt()),
      TG_CASE("sqrt_extreme", tg::sqrt(x[0])),
      TG_CASE("abs", x[0].abs()),
      TG_CASE("abs_extreme", tg::abs(x[0])),
      TG_CASE("sin", x[0].sin()),
      TG_CASE("sin_extreme", tg::sin(x[0])),
      TG_CASE("cos", x[0].cos()),
      TG_CASE("cos_extreme", tg::cos(x[0])),
      TG_CASE("square", x[0].square()),
      TG_CASE("square_extreme", tg::square(x[0])),
      TG_CASE("sigmoid", x[0].sigmoid()),
      TG_CASE("sigmoid_extreme", tg::sigmoid(x[0])),
      TG_CASE("tanh", x[0].tanh()),
      TG_CASE("tanh_extreme", tg::tanh(x[0])),
      TG_CASE("relu", x[0].relu()),
      TG_CASE("relu_extreme", tg::relu(x[0])),
      TG_CASE("relu_3d", tg::relu(x[0])),

      // ---- clamp ----------------------------------------------------------------------------------
      TG_CASE("clamp_both", x[0].clamp(-0.5, 0.8)),
      TG_CASE("clamp_min_only", tg::clamp(x[0], -0.3)),
      TG_CASE("clamp_max_only", tg::clamp(x[0], std::nullopt, 0.4)),
      TG_CASE("clamp_extreme", x[0].clamp(-50.0, 50.0)),
      TG_CASE("clamp_near_bounds", x[0].clamp(-1.0, 1.0)),
      TG_CASE("clamp_min", x[0].clamp_min(0.25)),
      TG_CASE("clamp_max", tg::clamp_max(x[0], -0.25)),
      TG_CASE("clamp_then_square", x[0].clamp(-0.5, 0.8).square()),

      // ---- maximum / minimum / where ------------------------------------------------------------
      TG_CASE("maximum", tg::maximum(x[0], x[1])),
      TG_CASE("minimum", x[0].minimum(x[1])),
      TG_CASE("maximum_broadcast", x[0].maximum(x[1])),
      TG_CASE("minimum_broadcast", tg::minimum(x[0], x[1])),
      TG_CASE("maximum_square", tg::maximum(x[0], x[1]).square()),
      TG_CASE("where", tg::where(mask23(), x[0], x[1])),
      TG_CASE("where_broadcast", tg::where(mask23(), x[0], x[1])),
      TG_CASE("where_scalar_other", tg::where(mask23(), x[0], 0.5)),
      TG_CASE("where_scalar_self", tg::where(mask23(), -0.5, x[0])),
      TG_CASE("masked_fill", x[0].masked_fill(mask23(), 2.5)),
      TG_CASE("masked_fill_broadcast", tg::masked_fill(x[0], mask23()[0], -1.0) * x[0]),
      TG_CASE("where_square", tg::where(mask23(), x[0] * x[0], x[1].exp())),

      // ---- reductions -------------------------------------------------------------------------------
      TG_CASE("sum_all", x[0].sum()),
      TG_CASE("var_all", x[0].var()),
      TG_CASE("var_all_biased", tg::var(x[0], false)),
      TG_CASE("var_dim1", x[0].var({1})),
      TG_CASE("var_dims_biased_keepdim", tg::var(x[0], {0, 2}, false, true)),
      TG_CASE("std_all", x[0].std()),
      TG_CASE("std_dim0", x[0].std({0})),
      TG_CASE("std_dims_biased_keepdim", tg::std(x[0], {0, -1}, false, true)),
      // ---- padding, normalize -------------------------------------------------------------------
      TG_CASE("pad_constant", F::pad(x[0], F::PadFuncOptions({1, 2}))),
      TG_CASE("pad_constant_value_2d", F::pad(x[0], F::PadFuncOptions({1, 0, 2, 1}).value(-1.5))),
      TG_CASE("pad_constant_negative", tg::constant_pad_nd(x[0], {-1, 2, 0, -1})),
      TG_CASE("pad_reflect_1d", F::pad(x[0], F::PadFuncOptions({2, 1}).mode(tg::kReflect)).square()),
      TG_CASE("pad_reflect_2d", tg::pad(x[0], {1, 2, 2, 1}, "reflect").square()),
      TG_CASE("pad_replicate_1d", F::pad(x[0], F::PadFuncOptions({3, 1}).mode(tg::kReplicate)).square()),
      TG_CASE("pad_replicate_3d", F::pad(x[0], F::PadFuncOptions({1, 1, 2, 0, 0, 1}).mode(tg::kReplicate)).square()),
      TG_CASE("pad_circular_1d", F::pad(x[0], F::PadFuncOptions({2, 3}).mode(tg::kCircular)).square()),
      TG_CASE("pad_circular_2d", tg::pad(x[0], {1, -1, 2, 1}, "circular").square()),
      TG_CASE("normalize_default", F::normalize(x[0])),
      TG_CASE("normalize_p1_dim_neg1", F::normalize(x[0], F::NormalizeFuncOptions().p(1).dim(-1))),
      TG_CASE("normalize_p3_dim0", F::normalize(x[0], F::NormalizeFuncOptions().p(3).dim(0))),
      TG_CASE("sum_dim0", x[0].sum(0)),
      TG_CASE("sum_dim1_keepdim", x[0].sum(1, true)),
      TG_CASE("sum_dims", tg::sum(x[0], {0, 2})),
      TG_CASE("sum_neg_dim", x[0].sum(-1)),
      TG_CASE("sum_dims_keepdim", x[0].sum({0, -1}, true)),
      TG_CASE("sum_square", (x[0] * x[0]).sum(1)),
      TG_CASE("mean_all", x[0].mean()),
      TG_CASE("mean_dim", x[0].mean(1)),
      TG_CASE("mean_dim_keepdim", tg::mean(x[0], -1, true)),
      TG_CASE("mean_dims", x[0].mean({0, 2})),
      TG_CASE("mean_dims_keepdim", x[0].mean({1, 2}, true)),
      TG_CASE("mean_square", x[0].square().mean(0)),
      TG_CASE("max_all", x[0].max()),
      TG_CASE("min_all", tg::min(x[0])),
      TG_CASE("max_dim", std::get<0>(x[0].max(1))),
      TG_CASE("max_dim_keepdim", std::get<0>(tg::max(x[0], -1, true))),
      TG_CASE("min_dim", std::get<0>(x[0].min(0))),
      TG_CASE("min_dim_keepdim", std::get<0>(tg::min(x[0], 2, true))),
      TG_CASE("max_dim_square", std::get<0>(x[0].max(1)).square()),
      TG_CASE("norm_2", x[0].norm()),
      TG_CASE("norm_2_extreme", tg::norm(x[0], 2)),
      TG_CASE("norm_1", x[0].norm(1)),
      TG_CASE("norm_3", x[0].norm(3)),
      TG_CASE("norm_2_dim", x[0].norm(2, 1)),
      TG_CASE("norm_2_dims_keepdim", tg::norm(x[0], 2, {0, 2}, true)),
      TG_CASE("norm_1_dim", x[0].norm(1, -1)),
      TG_CASE("norm_3_dim", x[0].norm(3, 0)),
      TG_CASE("norm_3_dims_keepdim", x[0].norm(3, {1, 2}, true)),

      // ---- shape (each alone and followed by sin) ---------------------------------------------
      TG_SHAPE_CASE("reshape", x[0].reshape({4, 6})),
      TG_SHAPE_CASE("reshape_infer", tg::reshape(x[0], {-1, 4})),
      TG_SHAPE_CASE("view", x[0].view({6, 4})),
      TG_SHAPE_CASE("view_infer", x[0].view({2, -1})),
      TG_SHAPE_CASE("flatten", x[0].flatten()),
      TG_SHAPE_CASE("flatten_from1", tg::flatten(x[0], 1)),
      TG_SHAPE_CASE("flatten_mid", x[0].flatten(0, 1)),
      TG_SHAPE_CASE("t", x[0].t()),
      TG_SHAPE_CASE("transpose", x[0].transpose(0, 2)),
      TG_SHAPE_CASE("transpose_neg", tg::transpose(x[0], -1, -2)),
      TG_SHAPE_CASE("permute", x[0].permute({2, 0, 1})),
      TG_SHAPE_CASE("unsqueeze", x[0].unsqueeze(1)),
      TG_SHAPE_CASE("unsqueeze_neg", tg::unsqueeze(x[0], -1)),
      TG_SHAPE_CASE("squeeze", x[0].squeeze()),
      TG_SHAPE_CASE("squeeze_dim", x[0].squeeze(1)),
      TG_SHAPE_CASE("squeeze_dim_noop", tg::squeeze(x[0], 0)),
      TG_SHAPE_CASE("select", x[0].select(1, 2)),
      TG_SHAPE_CASE("select_neg", tg::select(x[0], 0, -1)),
      TG_SHAPE_CASE("index", x[0][1]),
      TG_SHAPE_CASE("narrow", x[0].narrow(1, 1, 2)),
      TG_SHAPE_CASE("narrow_last", tg::narrow(x[0], -1, 0, 3)),
      TG_SHAPE_CASE("expand", x[0].expand({2, 3, 4})),
      TG_SHAPE_CASE("expand_infer", x[0].expand({2, -1, 4})),
      TG_SHAPE_CASE("expand_as", x[0].expand_as(tg::zeros({2, 3}, tg::kFloat64))),
      TG_SHAPE_CASE("clone", x[0].clone()),
      TG_CASE("mv", tg::mv(x[0], x[1])),
      TG_CASE("dot", tg::dot(x[0], x[1])),
      TG_CASE("squeeze_inplace", (x[0] * 1).squeeze_()),
      TG_CASE("squeeze_dim_inplace", (x[0] * 1).squeeze_(1)),
      TG_CASE("unsqueeze_inplace", (x[0] * 1).unsqueeze_(0)),
      TG_CASE("chunk_piece", x[0].chunk(3, 0)[2] * x[0].chunk(3, 0)[0]),
      TG_CASE("split_piece", x[0].split(2, 1)[1].exp()),
      TG_CASE("unbind_piece", x[0].unbind(1)[2] * x[0].unbind(1)[0]),
      // Python indexing (gen_fixtures.py, INDEX_CASES)
      TG_SHAPE_CASE("index_slice_int", x[0].index({Slice(), 0})),
      TG_SHAPE_CASE("index_ellipsis_step", x[0].index({"...", Slice(1, None, 2)})),
      TG_SHAPE_CASE("index_none_int", x[0].index({None, 1})),
      TG_SHAPE_CASE("index_neg_step", x[0].index({-1, Slice(), Slice(None, None, 3)})),
      TG_SHAPE_CASE("index_ranges", x[0].index({Slice(1, None), Slice(-2, None)})),
      TG_SHAPE_CASE("index_slice_then_ellipsis_int", x[0].index({Slice(), Slice(1, 3)}).index({Ellipsis, 0})),
      TG_SHAPE_CASE("index_long_tensor", x[0].index({Slice(), tg::tensor({2, 0, 2})})),
      TG_SHAPE_CASE("index_long_tensor_2d", x[0].index({tg::tensor({{1, 0}, {0, 1}})})),
      TG_SHAPE_CASE("index_bool_mask", x[0].index({mask23()})),
      // advanced indexing, index_put, masked_select (gen_fixtures.py, ADVANCED_INDEX_CASES, INDEX_PUT_CASES)
      TG_SHAPE_CASE("index_two_tensors", x[0].index({tg::tensor({1, 0, 1}), tg::tensor({2, 2, 0})})),
      TG_SHAPE_CASE("index_tensors_broadcast_apart", x[0].index({tg::tensor({{0}, {1}}), Slice(), tg::tensor({3, 0, 1})})),
      TG_SHAPE_CASE("index_tensors_adjacent_after_slice",
                    x[0].index({Slice(), tg::tensor({2, 0}), tg::tensor({{1}, {3}})})),
      TG_SHAPE_CASE("index_int_slice_tensor", x[0].index({0, Slice(), tg::tensor({3, 1})})),
      TG_SHAPE_CASE("index_tensor_none_tensor", x[0].index({tg::tensor({1, 0}), None, tg::tensor({2, 1})})),
      TG_SHAPE_CASE("index_mask_then_tensor", x[0].index({mask23(), tg::tensor({0, 3, 1})})),
      TG_SHAPE_CASE("index_ellipsis_two_tensors", x[0].index({"...", tg::tensor({0, 2}), tg::tensor({3, 2})})),
      TG_SHAPE_CASE("index_tensor_slice_bool", x[0].index({tg::tensor({1, 0}), Slice(), true})),
      TG_SHAPE_CASE("index_tensors_duplicates", x[0].index({tg::tensor({1, 1, 0, 1}), tg::tensor({2, 2, 2, 2})})),
      TG_SHAPE_CASE("index_tensors_negative", x[0].index({tg::tensor({-1, 0}), Slice(), tg::tensor({-4, 3})})),
      TG_SHAPE_CASE("index_list_form", tg::index(x[0], {tg::tensor({1, 0, 1}), tg::nullopt, tg::tensor({0, 3, 3})})),
      TG_SHAPE_CASE("index_list_form_zero_dim", tg::index(x[0], {tg::tensor(1), tg::nullopt, tg::tensor({0, 2})})),
      TG_PUT_CASE("index_put_two", x[0].index_put({tg::tensor({0, 2, 0}), tg::tensor({1, 1, 3})}, x[1])),
      TG_PUT_CASE("index_put_broadcast_values", x[0].index_put({tg::tensor({1, 0})}, x[1])),
      TG_PUT_CASE("index_put_accumulate",
                  x[0].index_put({tg::tensor({0, 0, 2, 0}), tg::tensor({1, 1, 3, 1})}, x[1], true)),
      TG_PUT_CASE("index_put_accumulate_list", tg::index_put(x[0], {tg::nullopt, tg::tensor({1, 1})}, x[1], true)),
      TG_PUT_CASE("index_put_inplace", (x[0] * 1).index_put_({tg::tensor({1, 0}), tg::tensor({2, 2})}, x[1], false)),
      TG_PUT_CASE("index_put_inplace_accumulate", (x[0] * 1).index_put_({tg::tensor({1, 1})}, x[1], true)),
      TG_PUT_CASE("index_put_setitem_tensors", set_item(x[0], {tg::tensor({1, 0}), tg::tensor({2, 0})}, x[1])),
      TG_PUT_CASE("index_put_setitem_mask", set_item(x[0], {mask23()}, x[1])),
      TG_PUT_CASE("index_put_setitem_slice_tensor", set_item(x[0], {Slice(), tg::tensor({2, 0})}, x[1])),
      TG_PUT_CASE("index_put_setitem_basic", set_item(x[0], {Slice(), Slice(1, 3)}, x[1])),
      TG_CASE("masked_select", x[0].masked_select(mask23())),
      TG_CASE("masked_select_sin", tg::masked_select(x[0], mask23()).sin()),
      TG_CASE("masked_select_broadcast_mask", x[0].masked_select(mask23()[1])),
      TG_CASE("masked_select_broadcast_self", tg::masked_select(x[0], mask23())),
      TG_CASE("masked_select_broadcast_self_sin", x[0].masked_select(mask23()).sin() * x[0].sum()),
      TG_SHAPE_CASE("alias", x[0].alias()),
      TG_SHAPE_CASE("alias_t", x[0].t().alias() * x[0].t()),
      TG_SHAPE_CASE("contiguous_t", x[0].t().contiguous()),
      TG_SHAPE_CASE("contiguous_t_view", x[0].transpose(0, 1).contiguous().view({-1})),

      TG_CASE("transpose_then_mul", x[0].t() * x[1]),
      TG_CASE("permute_then_matmul", x[0].permute({1, 0, 2}).matmul(x[1])),
      TG_CASE("cat_dim0", tg::cat({x[0], x[1], x[2]}, 0)),
      TG_CASE("cat_dim1", tg::cat({x[0], x[1]}, 1)),
      TG_CASE("cat_neg_dim", tg::cat({x[0], x[1]}, -1)),
      TG_CASE("cat_sin", tg::cat({x[0], x[1].square()}, 0).sin()),
      TG_CASE("stack_dim0", tg::stack({x[0], x[1], x[2]})),
      TG_CASE("stack_dim1", tg::stack({x[0], x[1]}, 1)),
      TG_CASE("stack_neg_dim", tg::stack({x[0], x[1]}, -1)),
      TG_CASE("stack_sin", tg::stack({x[0] * x[1], x[1]}, 0).sin()),

      // ---- matmul / mm -----------------------------------------------------------------------------
      TG_CASE("matmul_dot", x[0].matmul(x[1])),
      TG_CASE("matmul_mv", tg::matmul(x[0], x[1])),
      TG_CASE("matmul_vm", x[0].matmul(x[1])),
      TG_CASE("matmul_mm", x[0].matmul(x[1])),
      TG_CASE("matmul_bmm", x[0].matmul(x[1])),
      TG_CASE("matmul_batch_2d", tg::matmul(x[0], x[1])),
      TG_CASE("matmul_2d_batch", tg::matmul(x[0], x[1])),
      TG_CASE("matmul_batch_1d", x[0].matmul(x[1])),
      TG_CASE("matmul_1d_batch", x[0].matmul(x[1])),
      TG_CASE("matmul_broadcast_4d", x[0].matmul(x[1])),
      TG_CASE("matmul_self", x[0].matmul(x[0])),
      TG_CASE("matmul_square", x[0].matmul(x[1]).square()),
      TG_CASE("mm", x[0].mm(x[1])),
      TG_CASE("mm_free", tg::mm(x[0], x[1])),
      TG_CASE("mm_transposed", x[0].t().mm(x[1].t())),
      TG_CASE("addmm_square", tg::addmm(x[0], x[1], x[2]).square()),
      TG_CASE("addmm_broadcast_beta_alpha", x[0].addmm(x[1], x[2], 0.5, 2.0).square()),

      // ---- composite expressions -------------------------------------------------------------------
      TG_CASE("expr_xx_plus_siny_x", x[0] * x[0] + tg::sin(x[1]) * x[0]),
      {"expr_reuse",
       [](const TL& x) {
         Tensor y = x[0].sin();
         return y * y + y;
       }},
      TG_CASE("expr_chain_broadcast", x[0].sin().exp() * x[1].sqrt() / (1.0 + x[2] * x[2])),
      TG_CASE("expr_softplus", (1.0 + x[0].exp()).log()),
      {"expr_softmax",
       [](const TL& x) {
         Tensor e = (x[0] - std::get<0>(x[0].max(1, true))).exp();
         return e / e.sum(1, true);
       }},
      {"expr_logsumexp",
       [](const TL& x) {
         Tensor m = std::get<0>(x[0].max(-1, true));
         return (x[0] - m).exp().sum(-1, true).log() + m;
       }},
      {"expr_layernorm",
       [](const TL& x) {
         Tensor c = x[0] - x[0].mean(-1, true);
         return c / (c.square().mean(-1, true) + 1e-5).sqrt();
       }},
      {"expr_mlp_tanh_mse",
       [](const TL& x) {
         const Tensor &in = x[0], &w1 = x[1], &b1 = x[2], &w2 = x[3], &b2 = x[4], &target = x[5];
         return (tg::tanh(in.matmul(w1) + b1).matmul(w2) + b2 - target).pow(2).mean();
       }},
      {"expr_mlp_relu_sigmoid",
       [](const TL& x) {
         const Tensor &in = x[0], &w1 = x[1], &b1 = x[2], &w2 = x[3], &target = x[4];
         Tensor y = (in.mm(w1) + b1).relu().mm(w2).sigmoid();
         return ((y - target) * (y - target)).sum() / 4.0;
       }},
      TG_CASE("expr_cosine_similarity", (x[0] * x[1]).sum(-1) / (x[0].norm(2, -1) * x[1].norm(2, -1))),
      TG_CASE("expr_rational", (x[0] - x[1]) / (x[0] * x[0] + x[1] * x[1] + 1.0)),
  };
  return table;
}

#undef TG_PUT_CASE
#undef TG_SHAPE_CASE
#undef TG_CASE

// ---- the fixture file ---------------------------------------------------------------------------

const tg_reference::Loaded& loaded() {
  static const tg_reference::Loaded l = tg_reference::load(kFixtureFile);
  return l;
}
const tg_fixtures::Case* find_case(const std::string& name) { return tg_reference::find_case(loaded(), name); }
std::vector<std::string> fixture_case_names() { return tg_reference::case_names(loaded()); }

// ---- the tests -------------------------------------------------------------------------------------

class ReferenceCore : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceCore, MatchesTorch) {
  const std::string& name = GetParam();
  const tg_fixtures::Case* fc = find_case(name);
  ASSERT_NE(fc, nullptr) << "no fixture case " << name;
  auto it = cases().find(name);
  ASSERT_NE(it, cases().end()) << "case " << name << " (" << kFixtureFile << ":" << fc->line
                               << ") has no lambda in test_reference_core.cpp";
  SCOPED_TRACE("case " + name + " (" + kFixtureFile + ":" + std::to_string(fc->line) + ")");
  tg_reference::run_case(fc, it->second);
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceCore, ::testing::ValuesIn(fixture_case_names()), param_name);
// When the fixture file cannot be read there are no cases; FixtureTable.FileLoads says why.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReferenceCore);

TEST(FixtureTable, FileLoads) {
  EXPECT_TRUE(loaded().error.empty()) << loaded().error;
  EXPECT_GT(loaded().cases.size(), 0u) << "no cases in " << kFixtureFile;
}

TEST(FixtureTable, EveryCaseHasALambda) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const auto& c : loaded().cases)
    EXPECT_TRUE(cases().count(c.name))
        << "fixture case " << c.name << " (" << kFixtureFile << ":" << c.line
        << ") has no lambda in test_reference_core.cpp";
}

TEST(FixtureTable, EveryLambdaHasACase) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const auto& kv : cases())
    EXPECT_NE(find_case(kv.first), nullptr)
        << "lambda " << kv.first << " has no case in " << kFixtureFile
        << " (add it to tests/gen_fixtures.py and rerun the script)";
}

}  // namespace
