package io.testrig.core;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Recursive deletion, the one copy (issue 8: four had grown). */
public final class FileTrees {
  private FileTrees() {}

  /** Removes one entry of a tree being deleted; the entry's children are gone already. */
  @FunctionalInterface
  public interface Deleter {
    void delete(Path entry) throws IOException;
  }

  /**
   * Deletes {@code root} and everything under it, children first. Never follows a symbolic link: a
   * link (also {@code root} itself) is removed as a link, never what it points to ({@link
   * Files#walkFileTree(Path, java.nio.file.FileVisitor)} without FOLLOW_LINKS). A missing {@code
   * root} throws {@link java.nio.file.NoSuchFileException}; an entry removed meanwhile is fine.
   */
  public static void deleteTree(Path root) throws IOException {
    deleteTree(root, Files::deleteIfExists);
  }

  /**
   * As {@link #deleteTree(Path)}, removing each entry (files, links, then their directory) by
   * {@code deleter}.
   */
  public static void deleteTree(Path root, Deleter deleter) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            deleter.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            deleter.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
