// A non-owning reference to a callable, for callbacks that are called before the function that
// takes them returns (no allocation, unlike std::function).
//
//   int total = 0;
//   auto add = [&total](int x) { total += x; return true; };
//   FunctionRef<bool(int)> f = add;   // `add` must outlive `f`
//   f(3);
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace trapezoid::registrar {

template <class Signature>
class FunctionRef;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> && std::is_invocable_r_v<R, F&, Args...>)
  FunctionRef(F&& f) noexcept  // implicit: a reference to a callable, like a view
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

}  // namespace trapezoid::registrar
