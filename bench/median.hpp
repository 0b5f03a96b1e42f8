// Timing helper shared by the native bench executables.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace portal::bench {

// Median over `samples` of the time per call (µs) of `work(iterations)`.
template <typename Work>
double median_us(int samples, int iterations, Work work) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> times;
  for (int s = 0; s < samples; ++s) {
    const auto start = Clock::now();
    work(iterations);
    const std::chrono::duration<double, std::micro> spent = Clock::now() - start;
    times.push_back(spent.count() / iterations);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace portal::bench
