// Running gnuplot as a child process: posix_spawnp with an argument vector (no shell), in the
// directory of the plot's files, stdin and stdout on /dev/null and stderr read through a pipe
// for the error message.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "plot/script.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/plot.hpp"

extern char** environ;

namespace tg::plot {

namespace {

std::mutex command_mutex;
std::string command_override;

struct Run {
  bool started = false;  // false: the program could not be run (not found, not executable)
  int status = 0;        // waitpid's status
  std::string errors;    // what it wrote to stderr
};

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
};

Run run(const std::vector<std::string>& args, const std::string& dir) {
  Pipe err;
  if (::pipe2(err.fd, O_CLOEXEC) != 0) {
    throw IoError("plot: cannot create a pipe for gnuplot: " + std::generic_category().message(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(err.fd[1]);
  err.fd[1] = -1;
  Run result;
  if (spawned != 0) {
    if (spawned == ENOENT || spawned == EACCES || spawned == ENOTDIR || spawned == ENOEXEC) return result;
    throw IoError("plot: cannot run " + args[0] + (dir.empty() ? "" : " in " + dir) + ": " +
                  std::generic_category().message(spawned));
  }
  result.started = true;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(err.fd[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (result.errors.size() < (1u << 16)) result.errors.append(buffer, static_cast<std::size_t>(n));
  }
  while (::waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

bool succeeded(const Run& r) { return r.started && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0; }

std::string last_lines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > 600) text = "..." + text.substr(text.size() - 600);
  return text;
}

}  // namespace

void set_gnuplot_command(const std::string& command) {
  std::string resolved = command;
  if (command.find('/') != std::string::npos) resolved = std::filesystem::absolute(command).string();
  const std::lock_guard lock(command_mutex);
  command_override = resolved;
}

std::string gnuplot_command() {
  const std::lock_guard lock(command_mutex);
  return command_override.empty() ? "gnuplot" : command_override;
}

bool gnuplot_available() { return succeeded(run({gnuplot_command(), "--version"}, "")); }

std::string install_hint() {
  return "plots skipped: gnuplot not found (install it with: sudo apt-get install gnuplot-nox)";
}

namespace detail {

bool run_gnuplot(const Files& f, const std::vector<std::string>& suffixes) {
  const std::string script = f.name + ".gp";
  const Run r = run({gnuplot_command(), script}, f.dir);
  if (!r.started) return false;
  if (!succeeded(r)) {
    std::string how = WIFEXITED(r.status) ? "exit status " + std::to_string(WEXITSTATUS(r.status))
                                          : "signal " + std::to_string(WTERMSIG(r.status));
    throw IoError(f.function + ": gnuplot failed (" + how + ") on " + f.path(".gp") + ": " + last_lines(r.errors));
  }
  for (const std::string& suffix : suffixes) {
    struct stat st {};
    const std::string out = f.path(suffix);
    if (::stat(out.c_str(), &st) != 0 || st.st_size == 0) {
      throw IoError(f.function + ": gnuplot did not write " + out + ": " + last_lines(r.errors));
    }
  }
  return true;
}

}  // namespace detail
}  // namespace tg::plot
