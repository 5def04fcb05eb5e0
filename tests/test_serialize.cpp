// Tests of tg::save / tg::load of modules (safetensors files under the dotted names of the
// parameters and buffers): exact round trips into freshly initialised modules, shape mismatches,
// missing and unexpected tensors, and a file written by Python's safetensors library.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tensorgrad/io/safetensors.h>
#include <tensorgrad/nn/modules.h>
#include <tensorgrad/nn/serialize.h>
#include <tensorgrad/tensorgrad.h>

namespace {

namespace fs = std::filesystem;
namespace nn = tg::nn;
using tg::Tensor;

const std::string kPytorchWritten = TG_FIXTURE_DIR "/io/pytorch_written.safetensors";

// A fresh directory for a test's files (unique per process and test), removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() / (std::string("tg_test_serialize_") + std::to_string(::getpid()) + "_" +
                                         info->test_suite_name() + "_" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

/// Runs f, which must throw tg::Error whose message contains every one of `parts` and none of
/// `absent`; returns the message.
std::string expect_error(const std::function<void()>& f, const std::vector<std::string>& parts,
                         const std::vector<std::string>& absent = {}) {
  try {
    f();
  } catch (const tg::Error& e) {
    std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "message '" << msg << "' lacks '" << p << "'";
    for (const auto& p : absent)
      EXPECT_EQ(msg.find(p), std::string::npos) << "message '" << msg << "' should not contain '" << p << "'";
    return msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a non-tg::Error: " << e.what();
    return "";
  }
  ADD_FAILURE() << "did not throw";
  return "";
}

std::vector<int64_t> shape_of(const Tensor& t) { return std::vector<int64_t>(t.sizes().begin(), t.sizes().end()); }

/// A copy of every parameter and buffer, by name.
tg::TensorMap snapshot(const nn::Module& m) {
  tg::TensorMap s;
  for (const auto& p : m.named_parameters()) s[p.key()] = p.value().clone();
  for (const auto& b : m.named_buffers()) s[b.key()] = b.value().clone();
  return s;
}

/// True when the module's parameters and buffers equal `s` exactly (same names, dtypes, values).
void expect_same_state(const nn::Module& m, const tg::TensorMap& s) {
  tg::TensorMap now = snapshot(m);
  ASSERT_EQ(now.size(), s.size());
  for (const auto& kv : s) {
    ASSERT_TRUE(now.count(kv.first)) << kv.first;
    EXPECT_EQ(now[kv.first].dtype(), kv.second.dtype()) << kv.first;
    EXPECT_TRUE(tg::equal(now[kv.first], kv.second)) << kv.first;
  }
}

struct NetImpl : nn::Module {
  explicit NetImpl(int64_t hidden = 8)
      : fc1(register_module("fc1", nn::Linear(4, hidden))),
        bn(register_module("bn", nn::BatchNorm1d(hidden))),
        act(register_module("act", nn::PReLU())),
        fc2(register_module("fc2", nn::Linear(hidden, 3))) {}
  Tensor forward(const Tensor& x) { return fc2(act(bn(fc1(x)))); }
  nn::Linear fc1;
  nn::BatchNorm1d bn;
  nn::PReLU act;
  nn::Linear fc2;
};
TG_MODULE(Net);

const std::vector<std::string> kNetNames = {"act.weight",      "bn.bias",        "bn.num_batches_tracked",
                                            "bn.running_mean", "bn.running_var", "bn.weight",
                                            "fc1.bias",        "fc1.weight",     "fc2.bias",
                                            "fc2.weight"};

TEST(Serialize, RoundTripIntoAFreshModuleIsExact) {
  TempDir dir;
  const std::string path = dir.file("net.safetensors");
  tg::manual_seed(1);
  Net a;
  // train mode: two forward passes give the BatchNorm buffers non-trivial values
  a(tg::randn({16, 4}) * 3 + 1);
  a(tg::randn({16, 4}) * 2 - 1);
  ASSERT_EQ(a->bn->num_batches_tracked.item<int64_t>(), 2);
  tg::save(a, path);
  ASSERT_TRUE(fs::exists(path));

  tg::manual_seed(2);  // a different random initialisation
  Net b;
  ASSERT_FALSE(tg::equal(a->fc1->weight, b->fc1->weight));
  ASSERT_FALSE(tg::equal(a->bn->running_mean, b->bn->running_mean));
  Tensor w_handle = b->fc1->weight;
  tg::load(b, path);
  expect_same_state(*b, snapshot(*a));
  // loaded in place: the module's own tensors (and handles to them) hold the values, and they are
  // still trainable leaves
  EXPECT_TRUE(w_handle.is_same(b->fc1->weight));
  EXPECT_TRUE(tg::equal(w_handle, a->fc1->weight));
  EXPECT_TRUE(b->fc1->weight.requires_grad());
  EXPECT_TRUE(b->fc1->weight.is_leaf());
  EXPECT_EQ(b->bn->num_batches_tracked.dtype(), tg::kInt64);
  EXPECT_EQ(b->bn->num_batches_tracked.item<int64_t>(), 2);

  // same outputs in eval mode (which uses the loaded running statistics)
  a->eval();
  b->eval();
  Tensor x = tg::randn({5, 4});
  EXPECT_TRUE(tg::equal(a(x), b(x)));

  // the file holds exactly the dotted names, with their dtypes and shapes
  tg::MetadataMap meta;
  tg::TensorMap file = tg::load_tensors(path, &meta);
  std::vector<std::string> names;
  for (const auto& kv : file) names.push_back(kv.first);
  EXPECT_EQ(names, kNetNames);
  EXPECT_EQ(file["fc1.weight"].dtype(), tg::kFloat32);
  EXPECT_EQ(shape_of(file["fc1.weight"]), (std::vector<int64_t>{8, 4}));
  EXPECT_EQ(file["bn.num_batches_tracked"].dtype(), tg::kInt64);
  EXPECT_EQ(shape_of(file["bn.num_batches_tracked"]), std::vector<int64_t>{});
  EXPECT_TRUE(tg::equal(file["bn.running_var"], a->bn->running_var));
  EXPECT_FALSE(file["fc1.weight"].requires_grad());
  EXPECT_EQ(meta["format"], "pt");

  // through std::shared_ptr<Impl> too, and a float64 module round trips in float64
  auto c = std::make_shared<NetImpl>();
  c->to(tg::kFloat64);
  tg::load(c, path);
  EXPECT_EQ(c->fc2->weight.dtype(), tg::kFloat64);
  EXPECT_TRUE(tg::equal(c->fc2->weight, a->fc2->weight.to(tg::kFloat64)));
  const std::string path64 = dir.file("net64.safetensors");
  tg::manual_seed(3);
  {
    tg::NoGradGuard g;
    c->fc1->weight.copy_(tg::randn({8, 4}, tg::kFloat64));  // values float32 cannot hold exactly
  }
  tg::save(c, path64);
  EXPECT_EQ(tg::load_tensors(path64)["fc1.weight"].dtype(), tg::kFloat64);
  auto d = std::make_shared<NetImpl>();
  d->to(tg::kFloat64);
  tg::load(d, path64);
  expect_same_state(*d, snapshot(*c));
}

TEST(Serialize, SaveOverwritesAndSequentialNames) {
  TempDir dir;
  const std::string path = dir.file("seq.safetensors");
  tg::manual_seed(4);
  nn::Sequential a(nn::Linear(3, 5), nn::Tanh(), nn::BatchNorm1d(5), nn::Linear(5, 2));
  tg::save(a, path);
  nn::Sequential other(nn::Linear(1, 1));
  tg::save(other, path);  // replaces the file
  EXPECT_EQ(tg::load_tensors(path).size(), 2u);
  tg::save(a, path);
  tg::TensorMap file = tg::load_tensors(path);
  EXPECT_TRUE(file.count("0.weight") && file.count("2.running_mean") && file.count("3.bias"));
  tg::manual_seed(5);
  nn::Sequential b(nn::Linear(3, 5), nn::Tanh(), nn::BatchNorm1d(5), nn::Linear(5, 2));
  tg::load(b, path);
  expect_same_state(*b, snapshot(*a));
}

TEST(Serialize, ShapeMismatchNamesTheParameterAndBothShapes) {
  TempDir dir;
  const std::string path = dir.file("net.safetensors");
  Net a(8);
  tg::save(a, path);
  Net b(6);
  auto before = snapshot(*b);
  std::string msg = expect_error([&] { tg::load(b, path); }, {"fc1.weight", "[6, 4]", "[8, 4]", path});
  // a failed load leaves the module as it was
  expect_same_state(*b, before);
}

TEST(Serialize, MissingAndUnexpectedTensorsAreReported) {
  TempDir dir;
  const std::string path = dir.file("small.safetensors");
  nn::Sequential small(nn::Linear(2, 3));
  tg::save(small, path);

  // the module has more than the file: every missing tensor is named
  nn::Sequential bigger(nn::Linear(2, 3), nn::BatchNorm1d(3), nn::Linear(3, 1));
  auto before = snapshot(*bigger);
  expect_error([&] { tg::load(bigger, path); },
               {"missing", "1.weight", "1.running_mean", "1.num_batches_tracked", "2.bias"}, {"0.weight"});
  expect_same_state(*bigger, before);

  // the file has more than the module: the extra tensors are named
  nn::Sequential none_bias(nn::Linear(nn::LinearOptions(2, 3).bias(false)));
  before = snapshot(*none_bias);
  expect_error([&] { tg::load(none_bias, path); }, {"0.bias", "does not have"}, {"missing"});
  expect_same_state(*none_bias, before);

  // a buffer missing from the file is reported as a buffer
  const std::string lin = dir.file("lin.safetensors");
  tg::save_tensors({{"weight", tg::ones({3})}, {"bias", tg::zeros({3})}}, lin);
  nn::BatchNorm1d bn(3);
  expect_error([&] { tg::load(bn, lin); }, {"buffer", "running_mean", "running_var", "num_batches_tracked"});

  // a file that does not exist
  expect_error([&] { tg::load(small, dir.file("nope.safetensors")); }, {"nope.safetensors"});
  // a directory that does not exist
  expect_error([&] { tg::save(small, dir.file("no/such/dir/x.safetensors")); }, {"no/such/dir"});
}

TEST(Serialize, ParameterAndBufferNamesCannotCollide) {
  // save() writes parameters and buffers into one namespace of dotted names, so a module cannot
  // have a parameter and a buffer of the same name (PyTorch refuses it too).
  nn::Module m;
  m.register_parameter("w", tg::zeros({2}));
  expect_error([&] { m.register_buffer("w", tg::ones({2})); }, {"'w'", "parameter"});
  m.register_buffer("b", tg::zeros({2}));
  expect_error([&] { m.register_parameter("b", tg::ones({2})); }, {"'b'", "buffer"});
}

struct TinyImpl : nn::Module {
  TinyImpl() : fc1(register_module("fc1", nn::Linear(3, 2))) {}
  Tensor forward(const Tensor& x) { return fc1(x); }
  nn::Linear fc1;
};
TG_MODULE(Tiny);

TEST(Serialize, PytorchWrittenFile) {
  ASSERT_TRUE(fs::exists(kPytorchWritten)) << kPytorchWritten;
  // loading into a module with fc1.weight [2, 3] and fc1.bias [2] fails only because of the two
  // tensors the module does not have
  Tiny tiny;
  auto before = snapshot(*tiny);
  expect_error([&] { tg::load(tiny, kPytorchWritten); }, {"steps", "scale", "does not have"},
               {"fc1.weight", "fc1.bias", "missing", "shape"});
  expect_same_state(*tiny, before);

  // load_tensors reads every tensor with its name, dtype, shape and values
  tg::MetadataMap meta;
  tg::TensorMap file = tg::load_tensors(kPytorchWritten, &meta);
  ASSERT_EQ(file.size(), 4u);
  EXPECT_EQ(meta["format"], "pt");
  const Tensor& w = file.at("fc1.weight");
  EXPECT_EQ(w.dtype(), tg::kFloat32);
  EXPECT_EQ(shape_of(w), (std::vector<int64_t>{2, 3}));
  std::vector<float> wv = w.tolist<float>();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(wv[i], static_cast<float>(i) / 7.0f) << i;
  const Tensor& b = file.at("fc1.bias");
  EXPECT_EQ(b.dtype(), tg::kFloat32);
  EXPECT_EQ(b.tolist<float>(), (std::vector<float>{0.5f, -0.25f}));
  const Tensor& steps = file.at("steps");
  EXPECT_EQ(steps.dtype(), tg::kInt64);
  EXPECT_EQ(steps.tolist<int64_t>(), (std::vector<int64_t>{1, 2, 3}));
  const Tensor& scale = file.at("scale");
  EXPECT_EQ(scale.dtype(), tg::kFloat64);
  EXPECT_EQ(scale.tolist<double>(), (std::vector<double>{-1.0, -0.5, 0.0, 0.5, 1.0}));

  // the module's own tensors, written here and loaded back, carry those values into it
  TempDir dir;
  const std::string path = dir.file("fc1.safetensors");
  tg::save_tensors({{"fc1.weight", w}, {"fc1.bias", b}}, path);
  tg::load(tiny, path);
  EXPECT_TRUE(tg::equal(tiny->fc1->weight, w));
  EXPECT_TRUE(tg::equal(tiny->fc1->bias, b));
  EXPECT_TRUE(tiny->fc1->weight.requires_grad());
  Tensor y = tiny(tg::tensor({1.0, 1.0, 1.0}));
  EXPECT_FLOAT_EQ(y.tolist<float>()[0], (0 + 1 + 2) / 7.0f + 0.5f);
  EXPECT_FLOAT_EQ(y.tolist<float>()[1], (3 + 4 + 5) / 7.0f - 0.25f);
}

}  // namespace
