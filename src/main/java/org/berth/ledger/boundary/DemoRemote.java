package org.berth.ledger.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * The demo's ledger remote: a bare repository in the data directory, created on first start from
 * the example ledger in {@code ipam-seed/} in one commit, so the demo works like production with a
 * real remote that people can clone and push to.
 */
final class DemoRemote {

  private static final Logger LOG = Logger.getLogger(DemoRemote.class.getName());

  private DemoRemote() {}

  static void createIfMissing(Path bare, String branch, String ledgerPath) {
    if (Files.isDirectory(bare.resolve("objects"))) {
      return;
    }
    String file =
        ledgerPath.endsWith(".yaml") || ledgerPath.endsWith(".yml")
            ? ledgerPath
            : ledgerPath + "/addresses.yaml";
    try (InputStream seed =
            DemoRemote.class.getClassLoader().getResourceAsStream("ipam-seed/addresses.yaml");
        Git git =
            Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch(branch).call();
        ObjectInserter inserter = git.getRepository().newObjectInserter()) {
      if (seed == null) {
        throw new IllegalStateException("ipam-seed/addresses.yaml is missing from the build");
      }
      Repository repo = git.getRepository();
      // Berth pushes to this local remote in-process, and JGit then collects its garbage. Old
      // packs are kept an hour by default, so past 50 packs every push would repack; drop them
      // at once instead (only Berth and people's git clients use this remote).
      var config = repo.getConfig();
      config.setString("gc", null, "prunePackExpire", "now");
      config.save();
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      DirCacheEntry entry = new DirCacheEntry(file);
      entry.setFileMode(FileMode.REGULAR_FILE);
      entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, seed.readAllBytes()));
      builder.add(entry);
      builder.finish();
      PersonIdent berth = new PersonIdent("Berth", "berth@localhost");
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setAuthor(berth);
      commit.setCommitter(berth);
      commit.setMessage("Seed the address ledger from ipam-seed\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate ref = repo.updateRef(Constants.R_HEADS + branch);
      ref.setNewObjectId(id);
      ref.update();
      LOG.log(Level.INFO, "Created the demo ledger remote {0} from ipam-seed", bare);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo ledger remote in " + bare, e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("cannot create the demo ledger remote in " + bare, e);
    }
  }
}
