#pragma once
/// \file serialize.h
/// Saving and loading a module's parameters and buffers as a safetensors file, under their dotted
/// names ("fc1.weight", "bn.running_mean"), as libtorch's torch::save / torch::load of a module.

#include <memory>
#include <string>

#include "tensorgrad/io/safetensors.h"
#include "tensorgrad/nn/module.h"

namespace tg {

/// Writes every parameter and buffer of `module` (recursively) to `path`.
void save(const nn::Module& module, const std::string& path);
/// Reads `path` into the parameters and buffers of `module`, in place (values are copied into
/// the existing tensors, converted to their dtypes). Every parameter and buffer must be in the
/// file with the same shape, and the file must hold nothing else; otherwise a tg::Error names every
/// such tensor (and both shapes), and the module is left unchanged.
void load(nn::Module& module, const std::string& path);

template <typename M>
void save(const nn::ModuleHolder<M>& module, const std::string& path) { save(*module, path); }
template <typename M>
void save(const std::shared_ptr<M>& module, const std::string& path) { save(*module, path); }
template <typename M>
void load(nn::ModuleHolder<M>& module, const std::string& path) { load(*module, path); }
template <typename M>
void load(const std::shared_ptr<M>& module, const std::string& path) { load(*module, path); }

}  // namespace tg
