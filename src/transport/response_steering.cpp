#include "transport/response_steering.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>

namespace trapezoid::transport::detail {
namespace {

constexpr std::uint32_t word(char a, char b, char c, char d) {
  return (std::uint32_t(std::uint8_t(a)) << 24) | (std::uint32_t(std::uint8_t(b)) << 16) |
         (std::uint32_t(std::uint8_t(c)) << 8) | std::uint32_t(std::uint8_t(d));
}

// Returned when the program has no opinion: past the group's size, so the kernel hashes.
constexpr std::uint32_t kNoChoice = 0xffffffffu;
// The first offset where a branch can start: a status line and "Via: SIP/2.0/UDP h;branch=".
constexpr unsigned kFirstOffset = 16;
// Offsets checked between two length checks. A load past the end of the datagram would end
// the program with 0 (the first socket), so no load may go past what the last check allowed.
constexpr unsigned kBlock = 16;
// Bytes read from a match at k: the four of the pattern, up to two digits and the dot.
constexpr unsigned kReadPastMatch = 8;

class Program {
 public:
  std::size_t add(sock_filter f) {
    code_.push_back(f);
    return code_.size() - 1;
  }
  std::size_t stmt(std::uint16_t op, std::uint32_t k) { return add(BPF_STMT(op, k)); }
  std::size_t jump(std::uint16_t op, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) {
    return add(BPF_JUMP(op, k, jt, jf));
  }
  // An unconditional jump whose target is set later (BPF_JA takes a 32-bit offset).
  std::size_t ja_later() { return stmt(BPF_JMP | BPF_JA, 0); }
  void aim(std::size_t ja, std::size_t target) { code_[ja].k = static_cast<std::uint32_t>(target - ja - 1); }
  [[nodiscard]] std::size_t next() const { return code_.size(); }
  std::vector<sock_filter> take() { return std::move(code_); }

 private:
  std::vector<sock_filter> code_;
};

}  // namespace

std::vector<sock_filter> branch_steering_program(char letter) {
  Program p;
  std::vector<std::size_t> to_fail;
  std::vector<std::size_t> to_common;

  // Responses only: a status line starts "SIP/" (RFC 3261 §7.2); requests keep the hash.
  p.stmt(BPF_LD | BPF_W | BPF_LEN, 0);
  p.jump(BPF_JMP | BPF_JGE | BPF_K, kFirstOffset + kBlock + kReadPastMatch, 1, 0);
  to_fail.push_back(p.ja_later());
  p.stmt(BPF_LD | BPF_W | BPF_ABS, 0);
  p.jump(BPF_JMP | BPF_JEQ | BPF_K, word('S', 'I', 'P', '/'), 1, 0);
  to_fail.push_back(p.ja_later());

  // The last four bytes of the magic cookie and the letter, at each offset of the window.
  const std::uint32_t pattern = word('4', 'b', 'K', letter);
  for (unsigned k = kFirstOffset; k < kSteeringWindow; ++k) {
    if ((k - kFirstOffset) % kBlock == 0 && k != kFirstOffset) {
      p.stmt(BPF_LD | BPF_W | BPF_LEN, 0);
      p.jump(BPF_JMP | BPF_JGE | BPF_K, k + kBlock + kReadPastMatch, 1, 0);
      to_fail.push_back(p.ja_later());
    }
    p.stmt(BPF_LD | BPF_W | BPF_ABS, k);
    p.jump(BPF_JMP | BPF_JEQ | BPF_K, pattern, 0, 2);
    p.stmt(BPF_LDX | BPF_W | BPF_IMM, k);
    to_common.push_back(p.ja_later());
  }
  // Not found in the window.
  to_fail.push_back(p.ja_later());

  // X = offset of the pattern. The first digit:
  const std::size_t common = p.next();
  p.stmt(BPF_LD | BPF_B | BPF_IND, 4);
  p.stmt(BPF_ALU | BPF_SUB | BPF_K, '0');
  p.jump(BPF_JMP | BPF_JGT | BPF_K, 9, 0, 1);  // unsigned: below '0' wraps past 9 too
  to_fail.push_back(p.ja_later());
  p.stmt(BPF_ST, 0);  // M[0] = first digit
  p.stmt(BPF_LD | BPF_B | BPF_IND, 5);
  p.jump(BPF_JMP | BPF_JEQ | BPF_K, '.', 0, 2);
  p.stmt(BPF_LD | BPF_MEM, 0);
  p.stmt(BPF_RET | BPF_A, 0);
  // A second digit, then the dot.
  p.stmt(BPF_ALU | BPF_SUB | BPF_K, '0');
  p.jump(BPF_JMP | BPF_JGT | BPF_K, 9, 0, 1);
  to_fail.push_back(p.ja_later());
  p.stmt(BPF_ST, 1);  // M[1] = second digit
  p.stmt(BPF_LD | BPF_B | BPF_IND, 6);
  p.jump(BPF_JMP | BPF_JEQ | BPF_K, '.', 1, 0);
  to_fail.push_back(p.ja_later());
  p.stmt(BPF_LD | BPF_MEM, 0);
  p.stmt(BPF_ALU | BPF_MUL | BPF_K, 10);
  p.stmt(BPF_LDX | BPF_W | BPF_MEM, 1);
  p.stmt(BPF_ALU | BPF_ADD | BPF_X, 0);
  p.stmt(BPF_RET | BPF_A, 0);

  const std::size_t fail = p.stmt(BPF_RET | BPF_K, kNoChoice);
  for (std::size_t j : to_fail) p.aim(j, fail);
  for (std::size_t j : to_common) p.aim(j, common);
  return p.take();
}

std::error_code attach_branch_steering(int fd, char letter) {
  std::vector<sock_filter> code = branch_steering_program(letter);
  sock_fprog prog{static_cast<unsigned short>(code.size()), code.data()};
  if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof prog) == 0) return {};
  return {errno, std::system_category()};
}

}  // namespace trapezoid::transport::detail
