#include "tensorgrad/nn/serialize.h"

#include <set>
#include <utility>
#include <vector>

#include "tensorgrad/autograd/grad_mode.h"

namespace tg {

void save(const nn::Module& module, const std::string& path) {
  TensorMap tensors;
  for (const auto& p : module.named_parameters()) tensors[p.key()] = p.value();
  for (const auto& b : module.named_buffers()) tensors[b.key()] = b.value();
  save_tensors(tensors, path, {{"tensorgrad_module", module.name()}});
}

// Note [load validates before it copies]
// Every problem (missing tensors, shape mismatches, tensors the module does not have) is collected
// and reported in one error before any value is copied, so a failed load leaves the module as it
// was instead of half overwritten.
void load(nn::Module& module, const std::string& path) {
  TensorMap file = load_tensors(path);
  std::set<std::string> used;
  std::vector<std::pair<Tensor*, const Tensor*>> copies;
  std::string missing, mismatched;
  auto check = [&](const std::string& name, Tensor& t, const char* kind) {
    auto it = file.find(name);
    if (it == file.end()) {
      missing += fmt::format("{}{} '{}'", missing.empty() ? "" : ", ", kind, name);
      return;
    }
    used.insert(name);
    const Tensor& src = it->second;
    if (!src.sizes().equals(t.sizes())) {
      mismatched +=
          fmt::format("{}{} '{}' has shape {} in the module but {} in the file", mismatched.empty() ? "" : "; ", kind,
                      name, to_string(t.sizes()), to_string(src.sizes()));
      return;
    }
    copies.emplace_back(&t, &src);
  };
  auto params = module.named_parameters();
  auto buffers = module.named_buffers();
  for (auto& p : params) check(p.key(), p.value(), "parameter");
  for (auto& b : buffers) check(b.key(), b.value(), "buffer");
  std::string extra;
  for (const auto& kv : file)
    if (!used.count(kv.first)) extra += (extra.empty() ? "" : ", ") + kv.first;
  std::string problems;
  if (!mismatched.empty()) problems += "; " + mismatched;
  if (!missing.empty()) problems += "; missing from the file: " + missing;
  if (!extra.empty())
    problems += fmt::format("; the file holds tensors that {} does not have: {}", module.name(), extra);
  TG_CHECK(problems.empty(), "load: cannot load '{}' into {}{}", path, module.name(), problems);
  NoGradGuard g;
  for (auto& c : copies) c.first->copy_(*c.second);
}

}  // namespace tg
