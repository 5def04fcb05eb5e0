#pragma once
/// \file arg.h
/// TG_ARG(T, name): an option `name` of type T with libtorch's TORCH_ARG accessors: a chainable
/// setter `name(value)` returning *this, and getters `name()`. Follow it with `= default_value;`.
#define TG_ARG(T, name)                                           \
 public:                                                          \
  inline auto name(const T& new_##name)->decltype(*this) {        \
    this->name##_ = new_##name;                                   \
    return *this;                                                 \
  }                                                               \
  inline const T& name() const noexcept { return this->name##_; } \
  inline T& name() noexcept { return this->name##_; }             \
                                                                  \
 private:                                                         \
  T name##_

/// libtorch's spelling of TG_ARG.
#define TORCH_ARG(T, name) TG_ARG(T, name)
