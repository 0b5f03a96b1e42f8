#include "support/vectors.hpp"

#include <fstream>

namespace portal::test {

nlohmann::json load_vector(const std::string& relative) {
  const std::string path = std::string(PORTAL_VECTORS_DIR) + "/" + relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open vector file " + path);
  return nlohmann::json::parse(in);
}

Bytes hex(const std::string& text) {
  Bytes out;
  if (!from_hex(text, out)) throw std::runtime_error("bad hex in vector: " + text);
  return out;
}

}  // namespace portal::test
