// Whole-file reads, and atomic replacement of a file: write a temporary file next to it, fsync,
// rename over the target (atomic in POSIX), fsync the directory so that the rename is durable.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "tapegrad/error.hpp"
#include "tapegrad/io/npy.hpp"

namespace tg::io {

namespace {

[[noreturn]] void io_error(const std::string& what, const std::string& path, int error) {
  throw IoError(what + " " + path + ": " + std::generic_category().message(error));
}

// A file descriptor, closed on scope exit unless released.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::atomic<unsigned> temp_counter{0};

// The temporary file of a save to `path` by process `pid`: "<path>.tmp.<pid>.<counter>".
std::string temp_name(const std::string& path, long pid, unsigned counter) {
  return path + ".tmp." + std::to_string(pid) + "." + std::to_string(counter);
}

// A process killed while saving leaves its temporary file behind. The next save to the same
// path removes such files first, recognised by their name, when the process that made them no
// longer exists. Best effort: a file it cannot remove does not stop the save.
void remove_stale_temporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp.";
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());  // "<pid>.<counter>"
    const std::size_t dot = rest.find('.');
    if (dot == 0 || dot > 9 || dot == std::string::npos || dot + 1 == rest.size() ||
        rest.find_first_not_of("0123456789.") != std::string::npos || rest.find('.', dot + 1) != std::string::npos) {
      continue;
    }
    const long pid = std::stol(rest.substr(0, dot));
    if (pid == ::getpid() || pid <= 0) continue;  // this process's own saves may be running
    if (::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH) ::unlink(it->path().c_str());
  }
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
  remove_stale_temporaries(path);
  // A new name in the target's directory (O_EXCL: never another writer's temporary file).
  Fd file;
  std::string temp;
  for (int attempt = 0; file.fd < 0; ++attempt) {
    temp = temp_name(path, ::getpid(), temp_counter++);
    file.fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (file.fd < 0 && (errno != EEXIST || attempt == 100)) {
      io_error("write_file_atomic: cannot create a temporary file next to", path, errno);
    }
  }
  const auto fail = [&](const char* what) {
    const int error = errno;
    if (file.fd >= 0) ::close(file.release());
    ::unlink(temp.c_str());
    io_error(std::string("write_file_atomic: cannot ") + what, path, error);
  };
  if (!write_all(file.fd, bytes)) fail("write");
  if (::fsync(file.fd) != 0) fail("fsync");
  if (::close(file.release()) != 0) fail("close");
  if (::rename(temp.c_str(), path.c_str()) != 0) fail("rename the temporary file over");

  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  Fd dir{::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0 || ::fsync(dir.fd) != 0) {
    io_error("write_file_atomic: cannot fsync the directory of", path, errno);
  }
}

std::string read_file(const std::string& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) io_error("read_file: cannot open", path, errno);
  std::string out;
  struct stat st {};
  if (::fstat(file.fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io_error("read_file: cannot read", path, errno);
    if (n == 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace tg::io
