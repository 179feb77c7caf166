package org.berth.ledger.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The entries of one ledger file, read from the YAML parser's events one entry at a time.
 *
 * <p>SnakeYAML's own composer builds the whole file's node tree by recursion, so a line nested a
 * few thousand levels deep overflows the stack and a large file is held twice. Here the parser
 * (which keeps its own state on the heap) is driven directly: each entry's nodes are put together
 * with an explicit stack, handed on and dropped, and the limits of {@link LedgerLimits} (entries,
 * nesting, nodes per entry) are checked as the events arrive, before anything past them is built.
 */
final class YamlEntries {

  /** A rule or limit the file breaks, at a line; reading stops there. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    final int line;

    Refused(Optional<Mark> at, String message) {
      super(message, null, false, false);
      this.line = at.map(m -> m.getLine() + 1).orElse(1);
    }
  }

  private YamlEntries() {}

  /**
   * Hands each item of the file's top-level list to {@code entries}, in order; an empty file has
   * none.
   *
   * @throws Refused if the file is not one list, or breaks a limit
   * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException if it is not valid YAML
   */
  static void read(String label, String text, Consumer<Node> entries) throws Refused {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(label)
            .setCodePointLimit(Math.max(text.length(), 1) + 1)
            .build();
    Iterator<Event> events = new Parse(settings).parseString(text).iterator();
    events.next(); // stream start
    Event e = events.next();
    if (e.getEventId() == Event.ID.StreamEnd) {
      return; // nothing but comments
    }
    Event root = events.next();
    boolean empty =
        root instanceof ScalarEvent s && s.getValue().isEmpty() && s.isPlain(); // a bare "---"
    if (!empty) {
      if (root.getEventId() != Event.ID.SequenceStart) {
        throw new Refused(root.getStartMark(), "the file must be a list of entries (- Host: ...)");
      }
      int count = 0;
      for (Event item = events.next();
          item.getEventId() != Event.ID.SequenceEnd;
          item = events.next()) {
        if (++count > LedgerLimits.MAX_ENTRIES) {
          throw new Refused(
              item.getStartMark(),
              "more than "
                  + LedgerLimits.count(LedgerLimits.MAX_ENTRIES)
                  + " entries in one file, the limit of a whole ledger");
        }
        entries.accept(compose(item, events, 2));
      }
    }
    events.next(); // document end
    Event next = events.next();
    if (next.getEventId() == Event.ID.DocumentStart) {
      throw new Refused(
          next.getStartMark(), "the file must be one YAML document; a second one starts here");
    }
  }

  /** Reads the first item of a list: the entry a snippet of lines holds. */
  static Optional<Node> first(String label, String text) {
    List<Node> found = new ArrayList<>(1);
    try {
      read(
          label,
          text,
          node -> {
            if (found.isEmpty()) {
              found.add(node);
            }
          });
    } catch (Refused | org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
      return Optional.empty();
    }
    return found.stream().findFirst();
  }

  /** One node and everything in it, starting at {@code first}, at nesting level {@code depth}. */
  private static Node compose(Event first, Iterator<Event> events, int depth) throws Refused {
    Deque<Frame> open = new ArrayDeque<>();
    int nodes = 0;
    for (Event e = first; ; e = events.next()) {
      Node done = null;
      switch (e.getEventId()) {
        case Scalar -> {
          nodes = counted(nodes, e);
          ScalarEvent s = (ScalarEvent) e;
          done =
              new ScalarNode(
                  Tag.STR,
                  true,
                  s.getValue(),
                  s.getScalarStyle(),
                  s.getStartMark(),
                  s.getEndMark());
        }
        case SequenceStart, MappingStart -> {
          nodes = counted(nodes, e);
          if (depth + open.size() > LedgerLimits.MAX_DEPTH) {
            throw new Refused(
                e.getStartMark(),
                "nested more than "
                    + LedgerLimits.MAX_DEPTH
                    + " levels deep; an entry is a set of keys with one-line values");
          }
          CollectionStartEvent c = (CollectionStartEvent) e;
          open.push(
              e.getEventId() == Event.ID.SequenceStart
                  ? new Frame(
                      new SequenceNode(
                          Tag.SEQ,
                          true,
                          new ArrayList<>(),
                          c.getFlowStyle(),
                          c.getStartMark(),
                          Optional.empty()))
                  : new Frame(
                      new MappingNode(
                          Tag.MAP,
                          true,
                          new ArrayList<>(),
                          c.getFlowStyle(),
                          c.getStartMark(),
                          Optional.empty())));
        }
        case SequenceEnd, MappingEnd -> {
          Frame closed = open.pop();
          closed.node.setEndMark(e.getEndMark());
          done = closed.node;
        }
        case Alias ->
            throw new Refused(
                e.getStartMark(),
                "aliases (*name) are not allowed in the ledger; write the value out");
        default -> throw new Refused(e.getStartMark(), "unexpected " + e.getEventId());
      }
      if (done != null) {
        if (open.isEmpty()) {
          return done;
        }
        open.peek().add(done);
      }
    }
  }

  private static int counted(int nodes, Event e) throws Refused {
    if (nodes + 1 > LedgerLimits.MAX_NODES_PER_ENTRY) {
      throw new Refused(
          e.getStartMark(),
          "an entry with more than "
              + LedgerLimits.count(LedgerLimits.MAX_NODES_PER_ENTRY)
              + " keys, values and items");
    }
    return nodes + 1;
  }

  /** A list or mapping whose items are still being read. */
  private static final class Frame {
    final CollectionNode<?> node;
    private Node pendingKey;

    Frame(CollectionNode<?> node) {
      this.node = node;
    }

    void add(Node child) {
      if (node instanceof SequenceNode sequence) {
        sequence.getValue().add(child);
      } else if (pendingKey == null) {
        pendingKey = child;
      } else {
        ((MappingNode) node).getValue().add(new NodeTuple(pendingKey, child));
        pendingKey = null;
      }
    }
  }
}
