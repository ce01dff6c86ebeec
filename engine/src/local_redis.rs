//! [`LocalRedis`]: a `redis-server` child process in a temporary directory, for tests,
//! benchmarks and the Redis demo. Not a way to run production Redis: operators run their own.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{EngineError, Result};

/// A `redis-server` this process started, with AOF `appendfsync always`; killed on drop.
pub struct LocalRedis {
    child: Option<Child>,
    dir: tempfile::TempDir,
    /// `Some(port)` for a TCP server on 127.0.0.1, `None` for the Unix socket `dir/redis.sock`.
    port: Option<u16>,
}

impl LocalRedis {
    /// Starts a server listening on a Unix socket only (no port to collide with).
    ///
    /// # Errors
    /// `redis-server` missing from PATH, or not answering within ten seconds.
    pub fn start() -> Result<Self> {
        Self::launch(None)
    }

    /// Starts a server on a free port of 127.0.0.1 (for clients on loopback TCP).
    ///
    /// # Errors
    /// As [`LocalRedis::start`].
    pub fn start_tcp() -> Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(EngineError::io("cannot find a free port"))?
            .port();
        Self::launch(Some(port))
    }

    fn launch(port: Option<u16>) -> Result<Self> {
        let dir = tempfile::tempdir().map_err(EngineError::io("cannot create a directory"))?;
        let mut redis = LocalRedis {
            child: None,
            dir,
            port,
        };
        redis.spawn()?;
        Ok(redis)
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("redis.sock")
    }

    /// The directory holding the server's AOF.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The URL clients connect with.
    pub fn url(&self) -> String {
        match self.port {
            Some(port) => format!("redis://127.0.0.1:{port}/"),
            None => format!("redis+unix://{}", self.socket().display()),
        }
    }

    fn spawn(&mut self) -> Result<()> {
        let dir = self.dir.path();
        let mut cmd = Command::new("redis-server");
        cmd.args(["--daemonize", "no", "--save", "", "--appendonly", "yes"])
            .args(["--appendfsync", "always", "--dir"])
            .arg(dir)
            .args(["--logfile"])
            .arg(dir.join("redis.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match self.port {
            Some(port) => cmd.args(["--bind", "127.0.0.1", "--port", &port.to_string()]),
            None => cmd
                .args(["--port", "0", "--unixsocketperm", "700", "--unixsocket"])
                .arg(self.socket()),
        };
        let child = cmd.spawn().map_err(|e| {
            EngineError::Usage(format!(
                "cannot start redis-server ({e}): install Debian's redis-server package \
                 (scripts/test.sh does)"
            ))
        })?;
        self.child = Some(child);
        self.wait_ready()
    }

    fn wait_ready(&mut self) -> Result<()> {
        let started = Instant::now();
        let client = redis::Client::open(self.url().as_str())
            .map_err(|e| EngineError::Usage(format!("bad local Redis URL: {e}")))?;
        loop {
            let pong = client
                .get_connection_with_timeout(Duration::from_millis(200))
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            if pong.is_ok() {
                return Ok(());
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                let log =
                    std::fs::read_to_string(self.dir.path().join("redis.log")).unwrap_or_default();
                return Err(EngineError::Usage(format!(
                    "redis-server exited ({status}): {}",
                    log.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
                )));
            }
            if started.elapsed() > Duration::from_secs(10) {
                return Err(EngineError::Usage(
                    "redis-server did not answer within 10 s".into(),
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server with SIGKILL: what it had not written to its AOF is gone.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts the server again on the same directory and address (it reloads its AOF).
    ///
    /// # Errors
    /// As [`LocalRedis::start`].
    pub fn restart(&mut self) -> Result<()> {
        self.kill();
        let _ = std::fs::remove_file(self.socket());
        self.spawn()
    }
}

impl Drop for LocalRedis {
    fn drop(&mut self) {
        self.kill();
    }
}
