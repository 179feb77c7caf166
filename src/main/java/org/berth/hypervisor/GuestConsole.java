package org.berth.hypervisor;

import java.io.IOException;
import java.io.InputStream;

/**
 * A terminal on a guest: what the guest writes, and a way to type into it. Closing it ends the
 * terminal on the hypervisor's side; a console whose guest stops or goes ends by itself ({@link
 * #output()} reaches its end).
 */
public interface GuestConsole extends AutoCloseable {

  /** What the guest writes, as a terminal's bytes; its end is the end of the console. */
  InputStream output();

  /** Types {@code bytes} into the terminal. */
  void write(byte[] bytes) throws IOException;

  /** Tells the guest the terminal's size, where the hypervisor passes it on; else nothing. */
  default void resize(int columns, int rows) throws IOException {}

  /** Keeps a quiet terminal's connection open, where the hypervisor needs that; else nothing. */
  default void keepAlive() throws IOException {}

  @Override
  void close();
}
