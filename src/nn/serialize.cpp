#include "tensorgrad/nn/serialize.h"

#include <set>

#include "tensorgrad/autograd/grad_mode.h"

namespace tg {

void save(const nn::Module& module, const std::string& path) {
  TensorMap tensors;
  for (const auto& p : module.named_parameters()) tensors[p.key()] = p.value();
  for (const auto& b : module.named_buffers()) tensors[b.key()] = b.value();
  save_tensors(tensors, path, {{"tensorgrad_module", module.name()}});
}

void load(nn::Module& module, const std::string& path) {
  TensorMap file = load_tensors(path);
  std::set<std::string> used;
  auto fill = [&](const std::string& name, Tensor& t, const char* kind) {
    auto it = file.find(name);
    TG_CHECK(it != file.end(), "load: {} '{}' of {} is missing from '{}'", kind, name, module.name(), path);
    const Tensor& src = it->second;
    TG_CHECK(src.sizes().equals(t.sizes()),
             "load: {} '{}' has shape {} in the module but {} in '{}'", kind, name, to_string(t.sizes()),
             to_string(src.sizes()), path);
    NoGradGuard g;
    t.copy_(src);
    used.insert(name);
  };
  for (auto& p : module.named_parameters()) fill(p.key(), p.value(), "parameter");
  for (auto& b : module.named_buffers()) fill(b.key(), b.value(), "buffer");
  std::string extra;
  for (const auto& kv : file)
    if (!used.count(kv.first)) extra += (extra.empty() ? "" : ", ") + kv.first;
  TG_CHECK(extra.empty(), "load: '{}' holds tensors that {} does not have: {}", path, module.name(), extra);
}

}  // namespace tg
