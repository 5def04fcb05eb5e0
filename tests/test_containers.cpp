// The module containers (tensorgrad/nn/containers.h), type-erased modules (nn/any.h) and
// tg::OrderedDict, used as libtorch programs use them.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

namespace nn = tg::nn;
using tg::Tensor;
using tg_test::expect_error;
using Parts = std::vector<std::string>;

namespace {

// Modules whose forwards are not Tensor(Tensor).
struct AddImpl : nn::Module {
  explicit AddImpl(int k) : k(k) {}
  int forward(int x) { return x + k; }
  int k;
};
struct ToStringImpl : nn::Module {
  std::string forward(int x) { return "value " + std::to_string(x); }
};
struct ScaleImpl : nn::Module {
  Tensor forward(const Tensor& x, double factor = 2.0) { return x * factor; }
  FORWARD_HAS_DEFAULT_ARGS({1, nn::AnyValue(2.0)})
};
struct PairImpl : nn::Module {
  std::tuple<Tensor, Tensor> forward(const Tensor& x) { return {x, -x}; }
};
struct CopyCounted : nn::Module {
  static int copies;
  CopyCounted() = default;
  CopyCounted(const CopyCounted& other) : nn::Module(other) { ++copies; }
  Tensor forward(Tensor x) { return x; }
};
int CopyCounted::copies = 0;

}  // namespace

// ---- OrderedDict -------------------------------------------------------------------------------

TEST(OrderedDict, KeepsInsertionOrderAndLooksUpByKeyAndPosition) {
  tg::OrderedDict<std::string, int> d;
  EXPECT_TRUE(d.is_empty());
  d.insert("b", 2);
  d.insert("a", 1);
  d.insert("c", 3);
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(d.values(), (std::vector<int>{2, 1, 3}));
  EXPECT_EQ(d["a"], 1);
  EXPECT_EQ(d[0].key(), "b");
  EXPECT_EQ(d.front().value(), 2);
  EXPECT_EQ(d.back().key(), "c");
  ASSERT_NE(d.find("c"), nullptr);
  EXPECT_EQ(*d.find("c"), 3);
  EXPECT_EQ(d.find("z"), nullptr);
  d.erase("a");
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(d["c"], 3);  // the index followed the erase
  tg::OrderedDict<std::string, int> more = {{"d", 4}, {"e", 5}};
  d.update(more);
  EXPECT_EQ(d.size(), 4u);
  EXPECT_EQ(d.pairs().back(), (std::pair<std::string, int>{"e", 5}));
  d.clear();
  EXPECT_TRUE(d.is_empty());
}

TEST(OrderedDict, Errors) {
  tg::OrderedDict<std::string, int> d("Thing");
  d.insert("x", 1);
  expect_error([&] { d.insert("x", 2); }, "Thing 'x' already defined");
  expect_error([&] { d["y"]; }, "Thing 'y' is not defined");
  expect_error([&] { d[3]; }, "Index 3 is out of bounds");
  expect_error([&] { d.erase("y"); }, "Key 'y' doesn't exist");
  tg::OrderedDict<std::string, int> empty;
  expect_error([&] { empty.front(); }, "Called front() on an empty OrderedDict");
  expect_error([&] { empty.back(); }, "Called back() on an empty OrderedDict");
}

TEST(OrderedDict, ModulesNameTheirKeysInErrors) {
  nn::Linear fc(2, 3);
  auto params = fc->named_parameters();
  EXPECT_EQ(params[0].key(), "weight");
  expect_error([&] { fc->named_children()["nothing"]; }, "'nothing' is not defined");
}

// ---- AnyValue, AnyModule -----------------------------------------------------------------------

TEST(AnyModule, CallsForwardsOfAnySignature) {
  nn::AnyModule add(AddImpl(3));
  EXPECT_EQ(add.forward<int>(4), 7);
  nn::AnyValue v = add.any_forward(1);
  EXPECT_EQ(v.get<int>(), 4);
  EXPECT_EQ(v.try_get<double>(), nullptr);
  EXPECT_EQ(v.type_info(), typeid(int));

  nn::AnyModule fc(nn::Linear(2, 3));
  Tensor x = tg::ones({4, 2});
  EXPECT_EQ(fc.forward(x).sizes(), tg::IntArrayRef({4, 3}));
  EXPECT_EQ(fc.ptr()->name(), "tg::nn::Linear");
  EXPECT_EQ(fc.ptr<nn::LinearImpl>()->options.out_features(), 3);
  EXPECT_EQ(fc.get<nn::LinearImpl>().options.in_features(), 2);
  nn::Linear held = fc.get<nn::Linear>();
  EXPECT_EQ(held.get(), fc.ptr().get());

  // default arguments declared with FORWARD_HAS_DEFAULT_ARGS
  nn::AnyModule scale(std::make_shared<ScaleImpl>());
  EXPECT_TRUE(tg::equal(scale.forward(x), x * 2.0));
  EXPECT_TRUE(tg::equal(scale.forward(x, 5.0), x * 5.0));
}

TEST(AnyModule, CopiesShareTheModuleAndClonesCopyIt) {
  nn::AnyModule a(nn::Linear(2, 2));
  nn::AnyModule b = a;
  EXPECT_EQ(a.ptr().get(), b.ptr().get());
  nn::AnyModule c = a.clone();
  EXPECT_NE(c.ptr().get(), a.ptr().get());
  auto& wa = a.get<nn::LinearImpl>().weight;
  auto& wc = c.get<nn::LinearImpl>().weight;
  EXPECT_TRUE(tg::equal(wa, wc));
  EXPECT_NE(wa.data_ptr(), wc.data_ptr());
  EXPECT_TRUE(nn::AnyModule().is_empty());
}

TEST(AnyModule, Errors) {
  nn::AnyModule add(AddImpl(1));
  expect_error([&] { add.forward<int>(1.5); }, Parts{"Expected argument #0 to be of type int", "double"});
  expect_error([&] { add.forward<int>(); },
               Parts{"forward() method expects 1 argument(s), but received 0.", "FORWARD_HAS_DEFAULT_ARGS"});
  expect_error([&] { add.forward<int>(1, 2); }, "forward() method expects 1 argument(s), but received 2.");
  expect_error([&] { add.forward<float>(1); },
               Parts{"Attempted to cast AnyValue to float, but its actual type is int"});
  expect_error([&] { add.get<nn::LinearImpl>(); }, "Attempted to cast module of type");
  nn::AnyModule scale(std::make_shared<ScaleImpl>());
  expect_error([&] { scale.forward(); },
               "forward() method expects at least 1 argument(s) and at most 2 argument(s), but received 0.");
  nn::AnyModule empty;
  expect_error([&] { empty.forward(tg::ones({1})); }, "Cannot call forward() on an empty AnyModule");
  expect_error([&] { nn::AnyModule(std::shared_ptr<AddImpl>()); }, "AnyModule: the module is empty");
}

// ---- Sequential --------------------------------------------------------------------------------

TEST(SequentialContainer, ChainsForwardsOfAnySignature) {
  nn::Sequential seq(AddImpl(1), AddImpl(10), ToStringImpl());
  EXPECT_EQ(seq->forward<std::string>(5), "value 16");
  expect_error([&] { seq->forward(5); },
               "The type of the return value is std::__cxx11::basic_string<char, std::char_traits<char>, "
               "std::allocator<char> >, but you asked for type tg::Tensor");

  nn::Sequential pair(nn::Linear(2, 2), PairImpl());
  auto [a, b] = pair->forward<std::tuple<Tensor, Tensor>>(tg::ones({1, 2}));
  EXPECT_TRUE(tg::equal(a, -b));

  // a module with default arguments takes the previous result alone
  tg::manual_seed(3);
  nn::Sequential scaled(nn::Linear(3, 3), ScaleImpl());
  Tensor x = tg::randn({2, 3});
  EXPECT_TRUE(tg::allclose(scaled->forward(x), scaled[0]->as<nn::Linear>()->forward(x) * 2.0));
  nn::Sequential cell(nn::GRUCell(3, 4));
  EXPECT_EQ(cell->forward(x).sizes(), tg::IntArrayRef({2, 4}));
}

TEST(SequentialContainer, NamedModulesExtendAndIteration) {
  nn::Sequential seq({{"fc", nn::Linear(3, 4)}, {"act", nn::Tanh()}, {"out", std::make_shared<nn::LinearImpl>(4, 1)}});
  EXPECT_EQ(seq->named_children().keys(), (std::vector<std::string>{"fc", "act", "out"}));
  EXPECT_EQ(seq->named_parameters().keys(),
            (std::vector<std::string>{"fc.weight", "fc.bias", "out.weight", "out.bias"}));
  seq->push_back("sig", nn::Sigmoid());
  seq->push_back(nn::Identity());
  EXPECT_EQ(seq->named_children().keys(), (std::vector<std::string>{"fc", "act", "out", "sig", "4"}));
  EXPECT_EQ(seq->forward(tg::ones({2, 3})).sizes(), tg::IntArrayRef({2, 1}));

  nn::Sequential more((nn::ReLU()), nn::ReLU());
  seq->extend(*more);
  std::vector<std::shared_ptr<nn::ReLUImpl>> relus = {std::make_shared<nn::ReLUImpl>()};
  seq->extend(relus);
  EXPECT_EQ(seq->size(), 8u);
  size_t n = 0;
  for (const nn::AnyModule& m : *seq) n += m.ptr()->as<nn::ReLU>() != nullptr;
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(&seq->at<nn::LinearImpl>(2), seq->ptr<nn::LinearImpl>(2).get());

  // a copied value is copied once
  CopyCounted::copies = 0;
  nn::Sequential counted((CopyCounted()), CopyCounted());
  EXPECT_EQ(CopyCounted::copies, 2);
  CopyCounted::copies = 0;
  nn::Sequential counted_named({{"a", CopyCounted()}, {"b", CopyCounted()}});
  EXPECT_EQ(CopyCounted::copies, 2);
}

TEST(SequentialContainer, CloneKeepsNamesAndCopiesParameters) {
  nn::Sequential seq({{"fc", nn::Linear(2, 2)}, {"act", nn::Functional(tg::relu)}});
  auto copy = std::dynamic_pointer_cast<nn::SequentialImpl>(seq->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->named_children().keys(), (std::vector<std::string>{"fc", "act"}));
  auto p1 = seq->named_parameters();
  auto p2 = copy->named_parameters();
  for (const auto& item : p1) {
    EXPECT_TRUE(tg::equal(item.value(), p2[item.key()]));
    EXPECT_NE(item.value().data_ptr(), p2[item.key()].data_ptr());
  }
  EXPECT_EQ(tg::str(seq),
            "tg::nn::Sequential(\n  (fc): tg::nn::Linear(in_features=2, out_features=2, bias=true)\n"
            "  (act): tg::nn::Functional()\n)");
}

TEST(SequentialContainer, Errors) {
  nn::Sequential empty;
  expect_error([&] { empty->forward(tg::ones({1})); }, "Cannot call forward() on an empty Sequential");
  nn::Sequential seq(nn::Linear(2, 2), nn::ReLU());
  expect_error([&] { seq->ptr(2); }, "Sequential: Index out of range: index 2 of a Sequential of 2 modules");
  expect_error([&] { seq->at<nn::LinearImpl>(1); },
               "Sequential::at: Attempted to cast module of type tg::nn::ReLUImpl to type tg::nn::LinearImpl");
  expect_error([&] { seq->ptr<nn::LinearImpl>(1); }, "Attempted to cast module of type tg::nn::ReLUImpl");
  expect_error([&] { seq->push_back("0", nn::ReLU()); }, "submodule '0' already defined");
  expect_error([&] { seq->forward(1); }, Parts{"Expected argument #0 to be of type tg::Tensor", "int"});
}

// ---- ModuleList, ModuleDict --------------------------------------------------------------------

TEST(ModuleListContainer, InsertRenumbersAndExtendAppends) {
  nn::ModuleList list(nn::Linear(1, 1), nn::Linear(1, 2));
  list->insert(0, nn::Linear(1, 3));
  list->insert(3, std::make_shared<nn::LinearImpl>(1, 4));
  list->insert(2, nn::LinearImpl(1, 5));
  std::vector<int64_t> outs;
  for (const auto& m : *list) outs.push_back(m->as<nn::Linear>()->options.out_features());
  EXPECT_EQ(outs, (std::vector<int64_t>{3, 1, 5, 2, 4}));
  auto named = list->named_modules("", false);
  std::vector<int64_t> by_name;
  for (const auto& item : named) by_name.push_back(item.value()->as<nn::LinearImpl>()->options.out_features());
  EXPECT_EQ(named.keys(), (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(by_name, outs);  // each registered under its new position
  nn::ModuleList other((nn::ReLU()));
  list->extend(*other);
  EXPECT_EQ(list->size(), 6u);
  EXPECT_EQ(list[5].get(), other[0].get());
  expect_error([&] { list->insert(9, nn::ReLU()); }, "ModuleList::insert: Index out of range");
  expect_error([&] { list->at<nn::ReLUImpl>(0); },
               "ModuleList::at: the module at index 0 is a tg::nn::LinearImpl, not a tg::nn::ReLUImpl");
}

TEST(ModuleDictContainer, InsertUpdatePopAndClone) {
  std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> items = {{"a", nn::Linear(2, 2).ptr()},
                                                                            {"b", nn::ReLU().ptr()}};
  nn::ModuleDict dict(items);
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(dict->named_parameters().keys(), (std::vector<std::string>{"a.weight", "a.bias"}));
  // an existing key is replaced in place; a new one is appended
  dict->update(std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>>{{"a", nn::Linear(2, 5).ptr()},
                                                                                {"c", nn::Tanh().ptr()}});
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(dict->at<nn::LinearImpl>("a").options.out_features(), 5);
  EXPECT_EQ(dict->named_children()["a"].get(), dict["a"].get());
  auto popped = dict->pop("b");
  EXPECT_NE(popped->as<nn::ReLU>(), nullptr);
  EXPECT_EQ(dict->size(), 2u);
  EXPECT_FALSE(dict->named_children().contains("b"));  // the popped module is no longer a submodule
  auto copy = std::dynamic_pointer_cast<nn::ModuleDictImpl>(dict->clone());
  EXPECT_EQ(copy->keys(), dict->keys());
  EXPECT_NE(copy->at<nn::LinearImpl>("a").weight.data_ptr(), dict->at<nn::LinearImpl>("a").weight.data_ptr());
  EXPECT_EQ(tg::str(dict),
            "tg::nn::ModuleDict(\n  (a): tg::nn::Linear(in_features=2, out_features=5, bias=true)\n"
            "  (c): tg::nn::Tanh()\n)");
  expect_error([&] { dict->pop("b"); }, "Submodule 'b' is not defined");
  expect_error([&] { dict->at<nn::ReLUImpl>("a"); }, "ModuleDict::at: the module 'a' is a tg::nn::LinearImpl");
  dict->clear();
  EXPECT_TRUE(dict->empty());
  EXPECT_TRUE(dict->children().empty());
}

// ---- ParameterList, ParameterDict --------------------------------------------------------------

TEST(ParameterContainers, ListKeepsRequiresGradAndTrains) {
  Tensor a = tg::ones({2}, tg::requires_grad());
  Tensor b = tg::zeros({3});
  nn::ParameterList list(a, b);
  EXPECT_TRUE(list[0].requires_grad());
  EXPECT_FALSE(list->at(1).requires_grad());
  list->append(tg::full({1}, 2.0, tg::requires_grad()));
  EXPECT_EQ(list->named_parameters().keys(), (std::vector<std::string>{"0", "1", "2"}));
  // gradients reach the stored parameters
  (list[0].sum() * list[2].sum()).backward();
  EXPECT_EQ(tg_test::vals(list[0].grad()), (std::vector<double>{2, 2}));
  EXPECT_EQ(tg_test::vals(list[2].grad()), (std::vector<double>{2}));
  auto copy = std::dynamic_pointer_cast<nn::ParameterListImpl>(list->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->size(), 3u);
  EXPECT_NE(copy->at(0).data_ptr(), list->at(0).data_ptr());
  EXPECT_TRUE(copy->at(0).requires_grad());
  EXPECT_FALSE(copy->at(1).requires_grad());
  EXPECT_EQ(tg::str(list),
            "tg::nn::ParameterList(\n(0): Parameter containing: [Float of size [2]]\n"
            "(1): Parameter containing: [Float of size [3]]\n"
            "(2): Parameter containing: [Float of size [1]]\n)");
  expect_error([&] { list->at(3); }, "ParameterList: Index out of range: index 3 of a ParameterList of 3");
}

TEST(ParameterContainers, DictInsertPopUpdate) {
  nn::ParameterDict dict;
  dict->insert("w", tg::ones({2, 2}, tg::requires_grad()));
  dict->insert("b", tg::zeros({2}, tg::kFloat64));
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"w", "b"}));
  EXPECT_TRUE(dict["w"].requires_grad());
  nn::ParameterDict newer;
  newer->insert("w", tg::full({2, 2}, 3.0));
  dict->update(*newer);
  EXPECT_EQ(tg_test::vals(dict->get("w")), (std::vector<double>{3, 3, 3, 3}));
  Tensor b = dict->pop("b");
  EXPECT_EQ(b.scalar_type(), tg::kFloat64);
  EXPECT_FALSE(dict->contains("b"));
  EXPECT_EQ(tg::str(dict), "tg::nn::ParameterDict(\n(w): Parameter containing: [Float of size [2, 2]]\n)");
  expect_error([&] { dict->pop("b"); }, "Parameter 'b' is not defined");
  expect_error([&] { dict->insert("w", tg::ones({1})); }, "parameter 'w' already defined");
  nn::ParameterDict unknown;
  unknown->insert("q", tg::ones({1}));
  expect_error([&] { dict->update(*unknown); }, "Parameter 'q' is not defined");
}

TEST(ModuleAs, CastsToImplOrHolderType) {
  std::shared_ptr<nn::Module> m = nn::Linear(2, 3).ptr();
  EXPECT_NE(m->as<nn::Linear>(), nullptr);
  EXPECT_NE(m->as<nn::LinearImpl>(), nullptr);
  EXPECT_EQ(m->as<nn::ReLU>(), nullptr);
  nn::Sequential seq({{"block", nn::Sequential(nn::Linear(1, 1))}});
  EXPECT_EQ(seq->named_modules().keys(), (std::vector<std::string>{"", "block", "block.0"}));
  EXPECT_EQ(seq->named_modules("net").keys(), (std::vector<std::string>{"net", "net.block", "net.block.0"}));
  expect_error([&] { seq->unregister_module("nothing"); }, "unregister_module: no submodule named 'nothing'");
  seq->unregister_module("block");
  EXPECT_TRUE(seq->children().empty());
}
