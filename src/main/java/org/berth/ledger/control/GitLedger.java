package org.berth.ledger.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Berth's own bare clone of the ledger remote, and the only class that talks Git.
 *
 * <p>It reads the ledger files at a commit, writes commits straight into the object database (no
 * work tree), and pushes with compare-and-swap: a push names the remote head it expects and is
 * refused if anyone else moved it. It never force-pushes.
 */
public final class GitLedger implements AutoCloseable {

  /** What a push achieved. */
  public enum Push {
    ACCEPTED,
    /** The remote head was not the expected one: someone else pushed first. */
    REJECTED
  }

  /** A commit and the hosts whose entries it changed. */
  public record Change(
      String commit,
      String authorName,
      String authorEmail,
      Instant time,
      String message,
      Set<String> hosts) {}

  private final Repository repo;
  private final String remote;
  private final String branch;
  private final String ledgerPath;
  private final CredentialsProvider credentials;
  private final SshSessionFactory ssh;
  private final int timeoutSeconds;
  private final Map<ObjectId, LedgerFile> parsed = new ConcurrentHashMap<>();

  private GitLedger(
      Repository repo,
      String remote,
      String branch,
      String ledgerPath,
      CredentialsProvider credentials,
      SshSessionFactory ssh,
      int timeoutSeconds) {
    this.repo = repo;
    this.remote = remote;
    this.branch = branch;
    this.ledgerPath = ledgerPath;
    this.credentials = credentials;
    this.ssh = ssh;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** How Berth authenticates to the remote: a token for https, a key for ssh, or nothing. */
  public record Access(CredentialsProvider credentials, SshKey sshKey) {
    public static final Access NONE = new Access(null, null);
  }

  /**
   * A private key for ssh remotes and the known_hosts file that vouches for the server. Without a
   * matching known_hosts line the connection is refused: Berth never trusts a host on first use.
   */
  public record SshKey(Path privateKey, Path knownHosts) {}

  private static SshSessionFactory sshFactory(SshKey key, Path home) {
    if (key == null) {
      return null;
    }
    // Only the configured key and known_hosts count; with no matching host key line the server
    // is refused (no CredentialsProvider is there to "ask", so unknown hosts are never accepted).
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(home.toFile())
        .setSshDirectory(home.toFile())
        .setDefaultIdentities(dir -> List.of(key.privateKey()))
        .setDefaultKnownHostsFiles(dir -> List.of(key.knownHosts()))
        .setConfigFile(dir -> null)
        .build(null);
  }

  /**
   * Opens (creating it on first use) Berth's bare clone in {@code cloneDir} of {@code remote}.
   *
   * @param ledgerPath the ledger's file, or a directory whose {@code .yaml} files are the ledger
   * @param access a token for https or a key for ssh remotes; {@link Access#NONE} for local ones
   */
  public static GitLedger open(
      Path cloneDir,
      String remote,
      String branch,
      String ledgerPath,
      Access access,
      int timeoutSeconds) {
    try {
      Repository repo;
      if (Files.isDirectory(cloneDir.resolve("objects"))) {
        repo = new FileRepositoryBuilder().setGitDir(cloneDir.toFile()).setBare().build();
      } else {
        Files.createDirectories(cloneDir);
        repo = Git.init().setBare(true).setDirectory(cloneDir.toFile()).call().getRepository();
      }
      StoredConfig config = repo.getConfig();
      config.setString("remote", "origin", "url", remote);
      config.setBoolean("core", null, "logallrefupdates", false);
      // Each claim writes the whole file again; fast compression keeps that cheap, and gc packs
      // the loose objects properly later.
      config.setInt("core", null, "loosecompression", 1);
      config.save();
      return new GitLedger(
          repo,
          remote,
          branch,
          normalise(ledgerPath),
          access.credentials(),
          sshFactory(access.sshKey(), cloneDir),
          timeoutSeconds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the ledger clone in " + cloneDir, e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("cannot create the ledger clone in " + cloneDir, e);
    }
  }

  private static String normalise(String path) {
    String p = path.strip().replace('\\', '/');
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.substring(p.startsWith("/") ? 1 : 2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private String trackingRef() {
    return "refs/remotes/origin/" + branch;
  }

  private void configure(Transport transport) {
    if (ssh != null && transport instanceof SshTransport sshTransport) {
      sshTransport.setSshSessionFactory(ssh);
    }
  }

  /** Brings in the remote's branch; returns its head, or null if the remote has no such branch. */
  public ObjectId fetch() {
    try (Git git = Git.wrap(repo)) {
      FetchResult result =
          git.fetch()
              .setRemote("origin")
              .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":" + trackingRef()))
              .setCredentialsProvider(credentials)
              .setTransportConfigCallback(this::configure)
              .setTimeout(timeoutSeconds)
              .setRemoveDeletedRefs(true)
              .call();
      var advertised = result.getAdvertisedRef(Constants.R_HEADS + branch);
      return advertised == null ? null : advertised.getObjectId();
    } catch (GitAPIException e) {
      // A fetch sends nothing that changes the remote.
      throw new LedgerUnreachable("cannot fetch the ledger from " + safeRemote(), e);
    }
  }

  /** The remote head as last fetched or pushed, or null. */
  public ObjectId knownHead() {
    try {
      var ref = repo.exactRef(trackingRef());
      return ref == null ? null : ref.getObjectId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The ledger files at {@code commit}, parsed; unchanged files come from a cache by blob. Nothing
   * past the limits of {@link LedgerLimits} is loaded: a file too large, too many files or too many
   * bytes in all end the reading with a file that names the problem. A path that is a folder where
   * the ledger is one file (or the other way round), a symbolic link or a submodule is a problem
   * too.
   */
  public List<LedgerFile> read(ObjectId commit) {
    List<LedgerFile> files = new ArrayList<>();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader);
        TreeWalk tree = new TreeWalk(reader)) {
      RevCommit c = walk.parseCommit(commit);
      tree.addTree(c.getTree());
      tree.setRecursive(true);
      tree.setFilter(ledgerPath.isEmpty() ? TreeFilter.ALL : PathFilter.create(ledgerPath));
      boolean found = false;
      long bytes = 0;
      Map<ObjectId, LedgerFile> seen = new LinkedHashMap<>();
      while (tree.next()) {
        String path = tree.getPathString();
        boolean single = path.equals(ledgerPath);
        if (!single && !(path.endsWith(".yaml") || path.endsWith(".yml"))) {
          continue;
        }
        found = true;
        ObjectId blob = tree.getObjectId(0);
        FileMode mode = tree.getFileMode(0);
        // A submodule's commit is not in this repository: only plain files have a size to read.
        long size = isPlainFile(mode) ? reader.getObjectSize(blob, Constants.OBJ_BLOB) : 0;
        bytes += size;
        LedgerFile refused = refusal(path, single, mode, files.size(), size, bytes);
        if (refused != null) {
          files.add(refused);
          return files;
        }
        LedgerFile file = parsed.get(blob);
        if (file == null || !file.path().equals(path)) {
          file = LedgerFile.parse(path, reader.open(blob, Constants.OBJ_BLOB).getCachedBytes());
        }
        seen.put(blob, file);
        files.add(file);
      }
      if (!found) {
        files.add(
            LedgerFile.parse(ledgerPath.isEmpty() ? "(root)" : ledgerPath, "")
                .withProblem("the ledger file or directory " + ledgerPath + " is missing"));
      }
      // Only the files of the last commit read are kept: a cache that never grows past a ledger.
      parsed.keySet().retainAll(seen.keySet());
      parsed.putAll(seen);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Why the file at {@code path} ends the reading of a commit, as a file naming the problem; null
   * if it may be read. {@code files} and {@code bytes} count what was read before it, itself
   * included in {@code bytes}.
   */
  private LedgerFile refusal(
      String path, boolean single, FileMode mode, int files, long size, long bytes) {
    boolean singleFile = isSingleFile(ledgerPath);
    if (singleFile != single) {
      return LedgerFile.unreadable(
          ledgerPath,
          0,
          ledgerPath
              + (single ? " is a file" : " is a folder")
              + " in this commit, but the ledger is the "
              + (singleFile ? "single file " : "folder ")
              + ledgerPath
              + " (berth.ledger.path)");
    }
    if (!isPlainFile(mode)) {
      return LedgerFile.unreadable(
          path,
          0,
          (mode == FileMode.SYMLINK ? "a symbolic link" : "a submodule")
              + ", not a file; the ledger's files must be plain files");
    }
    if (files >= LedgerLimits.MAX_FILES) {
      return LedgerFile.unreadable(
          path,
          0,
          "the ledger has more than "
              + LedgerLimits.count(LedgerLimits.MAX_FILES)
              + " files with this one");
    }
    if (size > LedgerLimits.MAX_FILE_BYTES) {
      return LedgerFile.tooLarge(path, size);
    }
    if (bytes > LedgerLimits.MAX_LEDGER_BYTES) {
      return LedgerFile.unreadable(
          path,
          0,
          "the ledger's files come to more than "
              + LedgerLimits.size(LedgerLimits.MAX_LEDGER_BYTES)
              + " with this one, the limit of a whole ledger");
    }
    return null;
  }

  private static boolean isPlainFile(FileMode mode) {
    return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
  }

  /** A ledger path ending in .yaml or .yml is one file; any other is a folder of such files. */
  public static boolean isSingleFile(String ledgerPath) {
    return ledgerPath.endsWith(".yaml") || ledgerPath.endsWith(".yml");
  }

  /** Writes a commit on {@code parent} that replaces the given files; returns its id. */
  public ObjectId commit(
      ObjectId parent,
      Map<String, String> files,
      PersonIdent author,
      PersonIdent committer,
      String message) {
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      if (parent != null) {
        builder.addTree(
            new byte[0], DirCacheEntry.STAGE_0, reader, walk.parseCommit(parent).getTree());
      }
      builder.finish();
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, String> file : files.entrySet()) {
        ObjectId blob =
            inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
        editor.add(
            new DirCacheEditor.PathEdit(file.getKey()) {
              @Override
              public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
              }
            });
      }
      editor.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      if (parent != null) {
        commit.setParentId(parent);
      }
      commit.setAuthor(author);
      commit.setCommitter(committer);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Pushes {@code head} to the remote branch if, and only if, the remote is still at {@code
   * expected}.
   */
  public Push push(ObjectId head, ObjectId expected) {
    Connecting connecting = new Connecting();
    try (Transport transport = Transport.open(repo, new URIish(remote))) {
      transport.setCredentialsProvider(credentials);
      configure(transport);
      transport.setTimeout(timeoutSeconds);
      RemoteRefUpdate update =
          new RemoteRefUpdate(
              repo,
              head.name(),
              Constants.R_HEADS + branch,
              false,
              null,
              expected == null ? ObjectId.zeroId() : expected);
      PushResult result = transport.push(connecting, List.of(update));
      RemoteRefUpdate.Status status =
          result.getRemoteUpdate(Constants.R_HEADS + branch).getStatus();
      if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
        RefUpdate tracking = repo.updateRef(trackingRef());
        tracking.setNewObjectId(head);
        tracking.forceUpdate();
        return Push.ACCEPTED;
      }
      if (status == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD
          || status == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED
          || status == RemoteRefUpdate.Status.REJECTED_OTHER_REASON) {
        return Push.REJECTED;
      }
      throw new LedgerRemoteUnavailable(
          "the ledger remote " + safeRemote() + " refused the push: " + status, null);
    } catch (IOException | java.net.URISyntaxException e) {
      if (!connecting.opened) {
        throw new LedgerUnreachable("cannot reach the ledger remote " + safeRemote(), e);
      }
      // The connection was open: the remote may have taken the push before the failure.
      throw new LedgerRemoteUnavailable("cannot push to the ledger remote " + safeRemote(), e);
    }
  }

  /**
   * Tells whether a push got as far as an open connection. JGit opens the connection and reads the
   * remote's refs in its first task and ends that task before it sends anything; a failure before
   * that end left the remote untouched.
   */
  private static final class Connecting implements ProgressMonitor {
    volatile boolean opened;

    @Override
    public void start(int totalTasks) {}

    @Override
    public void beginTask(String title, int totalWork) {}

    @Override
    public void update(int completed) {}

    @Override
    public void endTask() {
      opened = true;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void showDuration(boolean enabled) {}
  }

  /**
   * The commits reachable from {@code to} but not from {@code from} that touch the ledger, oldest
   * first, each with the hosts whose lines it changed; at most {@code limit} of the newest. At most
   * {@link LedgerLimits#MAX_HISTORY_COMMITS} commits are examined and {@link
   * LedgerLimits#MAX_HISTORY_BYTES} of file versions compared; a file version over {@link
   * LedgerLimits#MAX_FILE_BYTES} is not read, so a commit that was refused for its size is passed
   * over without naming hosts.
   */
  public List<Change> changes(ObjectId from, ObjectId to, int limit) {
    List<Change> changes = new ArrayList<>();
    long[] budget = {LedgerLimits.MAX_HISTORY_BYTES};
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      walk.markStart(walk.parseCommit(to));
      if (from != null && repo.getObjectDatabase().has(from)) {
        walk.markUninteresting(walk.parseCommit(from));
      }
      walk.sort(RevSort.TOPO);
      int examined = 0;
      for (RevCommit c : walk) {
        if (changes.size() >= limit
            || ++examined > LedgerLimits.MAX_HISTORY_COMMITS
            || budget[0] <= 0) {
          break;
        }
        Set<String> hosts = touchedHosts(reader, walk, c, budget);
        if (!hosts.isEmpty()) {
          PersonIdent a = c.getAuthorIdent();
          changes.add(
              new Change(
                  c.name(),
                  a.getName(),
                  a.getEmailAddress(),
                  a.getWhenAsInstant(),
                  c.getFullMessage().strip(),
                  hosts));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    java.util.Collections.reverse(changes);
    return changes;
  }

  private Set<String> touchedHosts(ObjectReader reader, RevWalk walk, RevCommit c, long[] budget)
      throws IOException {
    Set<String> hosts = new LinkedHashSet<>();
    RevCommit parent = c.getParentCount() > 0 ? walk.parseCommit(c.getParent(0)) : null;
    try (TreeWalk tree = new TreeWalk(reader)) {
      tree.setRecursive(true);
      if (parent != null) {
        tree.addTree(parent.getTree());
      } else {
        tree.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
      }
      tree.addTree(c.getTree());
      tree.setFilter(
          ledgerPath.isEmpty()
              ? TreeFilter.ANY_DIFF
              : org.eclipse.jgit.treewalk.filter.AndTreeFilter.create(
                  PathFilter.create(ledgerPath), TreeFilter.ANY_DIFF));
      while (tree.next()) {
        if (!isText(tree.getFileMode(0)) || !isText(tree.getFileMode(1))) {
          continue;
        }
        long before = size(reader, tree.getObjectId(0));
        long after = size(reader, tree.getObjectId(1));
        if (before > LedgerLimits.MAX_FILE_BYTES || after > LedgerLimits.MAX_FILE_BYTES) {
          continue;
        }
        budget[0] -= before + after;
        if (budget[0] < 0) {
          break;
        }
        RawText a = raw(reader, tree.getObjectId(0));
        RawText b = raw(reader, tree.getObjectId(1));
        String[] hostsBefore = LedgerFile.hostOfEachLine(a.size(), a::getString);
        String[] hostsAfter = LedgerFile.hostOfEachLine(b.size(), b::getString);
        for (Edit edit :
            DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, a, b)) {
          for (int i = edit.getBeginA(); i < edit.getEndA(); i++) {
            addHost(hosts, hostsBefore[i]);
          }
          for (int i = edit.getBeginB(); i < edit.getEndB(); i++) {
            addHost(hosts, hostsAfter[i]);
          }
        }
      }
    }
    return hosts;
  }

  /** A file (or no file) on one side of a diff; links and submodules have no lines to compare. */
  private static boolean isText(FileMode mode) {
    return mode == FileMode.MISSING || isPlainFile(mode);
  }

  private static long size(ObjectReader reader, ObjectId blob) throws IOException {
    return blob.equals(ObjectId.zeroId()) ? 0 : reader.getObjectSize(blob, Constants.OBJ_BLOB);
  }

  private static void addHost(Collection<String> hosts, String host) {
    if (host != null) {
      try {
        hosts.add(Hostname.of(host).value());
      } catch (IllegalArgumentException e) {
        // lines of a broken entry: nothing to attribute
      }
    }
  }

  private static RawText raw(ObjectReader reader, ObjectId blob) throws IOException {
    return blob.equals(ObjectId.zeroId())
        ? new RawText(new byte[0])
        : new RawText(reader.open(blob, Constants.OBJ_BLOB).getCachedBytes());
  }

  /** Packs the clone's loose objects when git's {@code gc --auto} thresholds say so. */
  public void collectGarbageIfNeeded() {
    try {
      // JGit's own gc --auto; the porcelain command has no automatic mode.
      org.eclipse.jgit.internal.storage.file.GC gc =
          new org.eclipse.jgit.internal.storage.file.GC(
              (org.eclipse.jgit.internal.storage.file.FileRepository) repo);
      gc.setAuto(true);
      gc.gc().get();
    } catch (IOException
        | GitAPIException
        | java.text.ParseException
        | java.util.concurrent.ExecutionException
        | RuntimeException e) {
      java.util.logging.Logger.getLogger(GitLedger.class.getName())
          .log(
              java.util.logging.Level.WARNING,
              "Housekeeping of the ledger clone failed: {0}",
              e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The remote's address with any user information removed, for messages. */
  public String safeRemote() {
    return safe(remote);
  }

  /** {@code uri} without the user information (user name, password or token) in it. */
  public static String safe(String uri) {
    return uri.replaceAll("//[^/@]*@", "//");
  }

  public String branch() {
    return branch;
  }

  public String ledgerPath() {
    return ledgerPath;
  }

  @Override
  public void close() {
    repo.close();
  }
}
