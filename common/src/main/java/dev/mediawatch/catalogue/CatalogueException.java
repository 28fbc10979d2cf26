package dev.mediawatch.catalogue;

/** A catalogue that cannot be used; the message is {@code file:line: problem}. */
public final class CatalogueException extends Exception {

    private final String file;
    private final int line;

    CatalogueException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
