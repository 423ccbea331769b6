package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// DefaultBinGlobs are where the server binaries are looked for when they are not on PATH:
// the directories Debian and Ubuntu install them in.
var DefaultBinGlobs = []string{"/usr/lib/postgresql/*/bin"}

// server is a throwaway PostgreSQL server started by this process.
type server struct {
	dir      string // the temporary directory: data/, the socket and the log
	dsn      string
	watchdog *exec.Cmd
	pipe     *os.File // closing it tells the watchdog to stop the server
}

// serverConf is appended to the throwaway server's postgresql.conf: a Unix socket only, no
// durability (fsync off: a test server need not survive a crash), room for the tests'
// connections.
const serverConf = `
# pgtest: a throwaway server for tests
listen_addresses = ''
unix_socket_directories = '%s'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
max_locks_per_transaction = 256
max_pred_locks_per_transaction = 256
log_min_messages = warning
`

// FindBinDir returns the directory holding both initdb and pg_ctl: the first directory of
// pathList (a PATH value) that has both, else the highest-versioned match of globs.
func FindBinDir(pathList string, globs []string) (string, error) {
	for _, dir := range filepath.SplitList(pathList) {
		if dir != "" && hasServerBinaries(dir) {
			return dir, nil
		}
	}
	var found []string
	for _, g := range globs {
		matches, _ := filepath.Glob(g)
		for _, m := range matches {
			if hasServerBinaries(m) {
				found = append(found, m)
			}
		}
	}
	if len(found) == 0 {
		return "", fmt.Errorf("no initdb and pg_ctl found on PATH or under %s", strings.Join(globs, ", "))
	}
	// The highest version: compare the numeric path components.
	sort.SliceStable(found, func(i, j int) bool { return versionOf(found[i]) > versionOf(found[j]) })
	return found[0], nil
}

// versionOf returns the last numeric component of a path such as
// /usr/lib/postgresql/15/bin (0 if none).
func versionOf(path string) int {
	parts := strings.Split(filepath.ToSlash(path), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if n, err := strconv.Atoi(parts[i]); err == nil {
			return n
		}
	}
	return 0
}

// hasServerBinaries reports whether dir holds executable initdb and pg_ctl.
func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// startServer initialises and starts a throwaway server, with a watchdog that stops it and
// removes its directory when this process ends.
func startServer() (*server, error) {
	bin, err := FindBinDir(os.Getenv("PATH"), DefaultBinGlobs)
	if err != nil {
		return nil, &unavailableError{err.Error()}
	}
	// Run as root, the server must run as another user: postgres, through runuser.
	var runAs []string
	uid, gid := -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, &unavailableError{"running as root and there is no postgres user to run the server as"}
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			return nil, &unavailableError{"running as root and runuser is not installed"}
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		runAs = []string{runuser, "-u", "postgres", "--"}
	}

	// The socket path must fit in 107 bytes: prefer the temporary directory, fall back to /tmp.
	base := os.TempDir()
	if len(base) > 60 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "gridgov-pg-")
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*server, error) {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if uid >= 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	data := filepath.Join(dir, "data")
	logFile := filepath.Join(dir, "server.log")

	initdb := append(append([]string(nil), runAs...), filepath.Join(bin, "initdb"),
		"-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N")
	if out, err := run(initdb); err != nil {
		return fail(fmt.Errorf("initdb failed: %v\n%s", err, out))
	}
	conf, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fail(err)
	}
	_, err = fmt.Fprintf(conf, serverConf, dir)
	if cerr := conf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}

	start := append(append([]string(nil), runAs...), filepath.Join(bin, "pg_ctl"),
		"-D", data, "-l", logFile, "-w", "-t", "120", "start")
	if out, err := run(start); err != nil {
		log, _ := os.ReadFile(logFile)
		stop := append(append([]string(nil), runAs...), filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop")
		_, _ = run(stop)
		return fail(fmt.Errorf("pg_ctl start failed: %v\n%s\n%s", err, out, log))
	}

	srv := &server{dir: dir, dsn: fmt.Sprintf("host=%s port=5432 user=postgres dbname=postgres sslmode=disable", quoteValue(dir))}
	stop := append(append([]string(nil), runAs...), filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")
	if err := srv.startWatchdog(stop); err != nil {
		_, _ = run(stop)
		return fail(err)
	}
	return srv, nil
}

// startWatchdog starts a shell that waits for this process to close a pipe (or to die),
// then runs stop and removes the server's directory. It runs in its own process group, so
// an interrupt sent to the tests does not stop it before it has cleaned up.
func (s *server) startWatchdog(stop []string) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	args := append([]string{"-c", `read _ ; "$@" >/dev/null 2>&1 ; rm -rf "$PGTEST_DIR"`, "pgtest-watchdog"}, stop...)
	cmd := exec.Command("/bin/sh", args...)
	cmd.Stdin = r
	cmd.Env = append(os.Environ(), "PGTEST_DIR="+s.dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = r.Close()
		_ = w.Close()
		return fmt.Errorf("starting the watchdog: %w", err)
	}
	_ = r.Close()
	s.watchdog, s.pipe = cmd, w
	return nil
}

// stop stops the server and removes its directory, waiting for both.
func (s *server) stop() {
	if s.pipe != nil {
		_ = s.pipe.Close()
		_ = s.watchdog.Wait()
		s.pipe = nil
	}
	_ = os.RemoveAll(s.dir)
}

// run runs a command and returns its combined output.
func run(argv []string) ([]byte, error) {
	var out bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = os.TempDir()
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		err = fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	return out.Bytes(), err
}
