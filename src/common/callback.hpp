// Callback<R(Args...)>: a move-only owner of one callable, called at most as often as its owner
// likes. It is what the flows keep as "what to do when this call answers".
//
// std::function would do, but each distinct lambda stored in one costs a virtual table of six
// functions (two clones, two destroys, call, target); there are about a hundred such lambdas in
// the client, which made std::function the largest single item of the module's code after JSON.
// A Callback costs two plain functions per lambda (call, destroy) and cannot be copied, which is
// also the right meaning: a continuation runs once, owned by one pending call.
//
//   Callback<void(int)> done = [captured = std::move(x)](int v) { … };
//   done(42);
#pragma once

#include <type_traits>
#include <utility>

namespace portal {

template <typename Signature>
class Callback;

template <typename R, typename... Args>
class Callback<R(Args...)> {
 public:
  Callback() noexcept = default;

  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Callback> &&
                                                    std::is_invocable_r_v<R, std::decay_t<F>&, Args...>>>
  Callback(F&& callable)  // NOLINT(google-explicit-constructor): a lambda converts, as to std::function
      : object_(new std::decay_t<F>(std::forward<F>(callable))),
        call_(&call<std::decay_t<F>>),
        destroy_(&destroy<std::decay_t<F>>) {}

  Callback(Callback&& other) noexcept
      : object_(std::exchange(other.object_, nullptr)), call_(other.call_), destroy_(other.destroy_) {}
  Callback& operator=(Callback&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = std::exchange(other.object_, nullptr);
      call_ = other.call_;
      destroy_ = other.destroy_;
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  explicit operator bool() const noexcept { return object_ != nullptr; }

  // Calls the callable; the Callback must not be empty.
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  template <typename F>
  static R call(void* object, Args&&... args) {
    return (*static_cast<F*>(object))(std::forward<Args>(args)...);
  }
  template <typename F>
  static void destroy(void* object) noexcept {
    delete static_cast<F*>(object);
  }
  void reset() noexcept {
    if (object_) destroy_(object_);
    object_ = nullptr;
  }

  void* object_ = nullptr;
  R (*call_)(void*, Args&&...) = nullptr;
  void (*destroy_)(void*) noexcept = nullptr;
};

}  // namespace portal
