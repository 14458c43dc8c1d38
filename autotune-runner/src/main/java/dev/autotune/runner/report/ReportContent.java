package dev.autotune.runner.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.autotune.domain.OneLine;
import dev.autotune.runner.config.Hashing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One report file, checked to be non-empty UTF-8 text, with its structured views (JSON document, JSON lines,
 * YAML) parsed on first use and remembered, including a parse failure, so detection and reading agree.
 */
final class ReportContent {
    // Python's json module writes NaN/Infinity for undefined statistics (vLLM, SGLang request_rate=inf).
    // A key given twice in one object has no meaning the tools agree on (Python keeps the last, others the
    // first), so the report is refused rather than silently reading one of them.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern YAML_TOP_LEVEL_KEY = Pattern.compile("(?m)^[A-Za-z_][\\w-]*:(\\s|$)");

    private final Path path;
    private final String sha256;
    private final String text;
    private final TextLines lines;

    private Parsed<Optional<JsonNode>> jsonDocument;
    private Parsed<Optional<List<JsonLine>>> jsonLines;
    private Parsed<Optional<JsonNode>> yamlDocument;
    private Parsed<MetricTable> metricTable;

    /** A JSON value on one line of a JSON-lines file; {@code number} is 1-based. */
    record JsonLine(int number, JsonNode node) {
    }

    private ReportContent(Path path, String sha256, String text) {
        this.path = path;
        this.sha256 = sha256;
        this.text = text;
        this.lines = new TextLines(text);
    }

    static ReportContent load(Path path, long maxBytes) throws ReportException {
        return of(path, readRegularFile(path, maxBytes));
    }

    /** The content of a report already read; {@code path} names it in messages and gives the name hint. */
    static ReportContent of(Path path, byte[] bytes) throws ReportException {
        if (bytes.length == 0) {
            throw new ReportException(path, "empty file");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new ReportException(path, "binary file (NUL byte at offset " + i + "), expected a text report");
            }
        }
        String text = decodeUtf8(path, bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new ReportException(path, "empty file (only whitespace)");
        }
        return new ReportContent(path, Hashing.sha256(bytes), text);
    }

    /**
     * The whole file, refusing what is not a regular file (a FIFO blocks the reader forever, /dev/zero never
     * ends) and anything over {@code maxBytes}. The cap is enforced on the bytes read, not on the size the file
     * claims, because a device reports size 0 and a file can grow between the check and the read.
     */
    private static byte[] readRegularFile(Path path, long maxBytes) throws ReportException {
        if (Files.isDirectory(path)) {
            throw new ReportException(path, "is a directory, expected a report file");
        }
        if (!Files.exists(path)) {
            throw new ReportException(path, "file not found");
        }
        if (!Files.isRegularFile(path)) {
            throw new ReportException(path, "is not a regular file (a FIFO, device or socket), expected a report file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            if (Files.size(path) > maxBytes) {
                throw tooLarge(path, maxBytes);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(path, maxBytes);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ReportException(path, "file not found");
        } catch (AccessDeniedException e) {
            throw new ReportException(path, "permission denied");
        } catch (IOException e) {
            throw new ReportException(path, "cannot be read: " + e.getMessage());
        }
    }

    private static ReportException tooLarge(Path path, long maxBytes) {
        return new ReportException(path, "is larger than " + ReportParser.limitText(maxBytes)
                + ", the most a report may be (ingest --max-report-mb N raises the limit)");
    }

    Path path() {
        return path;
    }

    String fileName() {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    boolean fileNameEndsWith(String suffix) {
        return fileName().toLowerCase(Locale.ROOT).endsWith(suffix);
    }

    String sha256() {
        return sha256;
    }

    String text() {
        return text;
    }

    List<String> lines() {
        return lines;
    }

    /** True when the first non-blank character opens a JSON object or array. */
    boolean looksLikeJson() {
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }

    /**
     * The file as a single JSON value. Empty when it does not look like JSON or holds several values
     * (JSON lines). A broken document is a {@link ReportProblem} such as "truncated JSON at line 3 column 10".
     */
    Optional<JsonNode> jsonDocument() {
        if (jsonDocument == null) {
            jsonDocument = Parsed.of(this::parseJsonDocument);
        }
        return jsonDocument.get();
    }

    /**
     * The file as JSON lines, one value per non-blank line. A single JSON document written on one line also
     * counts, because that is what a one-run JSONL file looks like. Empty when the file is not JSON lines.
     */
    Optional<List<JsonLine>> jsonLines() {
        if (jsonLines == null) {
            jsonLines = Parsed.of(this::parseJsonLines);
        }
        return jsonLines.get();
    }

    /**
     * The file as a YAML mapping. Empty when it looks like JSON or has no top-level {@code key:} line;
     * a broken YAML document is a {@link ReportProblem}.
     */
    Optional<JsonNode> yamlDocument() {
        if (yamlDocument == null) {
            yamlDocument = Parsed.of(this::parseYaml);
        }
        return yamlDocument.get();
    }

    /**
     * The file as a {@code Metric,...} statistics table (AIPerf and GenAI-Perf CSV), parsed once: detection
     * looks at its labels to tell the two apart, then the chosen reader reads the same table.
     */
    MetricTable metricTable() {
        if (metricTable == null) {
            metricTable = Parsed.of(() -> MetricTable.parse(text));
        }
        return metricTable.get();
    }

    private Optional<JsonNode> parseJsonDocument() {
        if (!looksLikeJson()) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(text)) {
            JsonNode first = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                return Optional.empty(); // a second value follows: JSON lines, see parseJsonLines
            }
            return Optional.ofNullable(first);
        } catch (JsonProcessingException e) {
            if (isJsonLinesCandidate()) {
                return Optional.empty();
            }
            throw new ReportProblem(jsonError(e, null));
        } catch (IOException e) {
            throw new ReportProblem("cannot be read as JSON: " + e.getMessage());
        }
    }

    private Optional<List<JsonLine>> parseJsonLines() {
        if (!looksLikeJson()) {
            return Optional.empty();
        }
        Optional<JsonNode> document = jsonDocument();
        if (document.isPresent()) {
            String firstLine = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("");
            return firstLine.strip().equals(text.strip())
                    ? Optional.of(List.of(new JsonLine(lineNumberOf(firstLine), document.get())))
                    : Optional.empty();
        }
        // every line is checked now, so a broken one is reported the same way whoever asks; the trees are not
        // kept (a per-request JSONL holds ten times its size as trees) but parsed again, one line at a time
        int[] valueLines = new int[lines.size()];
        int count = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.isBlank(i)) {
                parseJsonLine(lines.get(i), i + 1);
                valueLines[count++] = i;
            }
        }
        return Optional.of(new JsonLineList(Arrays.copyOf(valueLines, count)));
    }

    /** The values of a JSON-lines file, parsed from the text each time one is asked for. */
    private final class JsonLineList extends AbstractList<JsonLine> implements RandomAccess {
        private final int[] lineIndexes;

        JsonLineList(int[] lineIndexes) {
            this.lineIndexes = lineIndexes;
        }

        @Override
        public JsonLine get(int index) {
            int line = lineIndexes[index];
            return new JsonLine(line + 1, parseJsonLine(lines.get(line), line + 1));
        }

        @Override
        public int size() {
            return lineIndexes.length;
        }
    }

    private JsonNode parseJsonLine(String line, int number) {
        try (JsonParser parser = JSON.createParser(line)) {
            JsonNode node = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ReportProblem("line " + number + ": more than one JSON value on a line");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ReportProblem(jsonError(e, number));
        } catch (IOException e) {
            throw new ReportProblem("cannot be read as JSON: " + e.getMessage());
        }
    }

    /**
     * When the whole text is not one JSON value, it is JSON lines if the first non-blank line is a complete
     * value on its own and more lines follow; otherwise the document error is the useful one.
     */
    private boolean isJsonLinesCandidate() {
        List<String> nonBlank = lines.stream().filter(l -> !l.isBlank()).limit(2).toList();
        if (nonBlank.size() < 2) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(nonBlank.get(0))) {
            JsonNode node = JSON.readTree(parser);
            return node != null && node.isContainerNode() && parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private int lineNumberOf(String line) {
        return lines.indexOf(line) + 1;
    }

    private Optional<JsonNode> parseYaml() {
        if (looksLikeJson() || !YAML_TOP_LEVEL_KEY.matcher(text).find()) {
            return Optional.empty();
        }
        try {
            JsonNode node = YAML.readTree(text);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new ReportProblem("invalid YAML" + where + ": " + OneLine.first(e.getOriginalMessage(), "unreadable"));
        }
    }

    private static String jsonError(JsonProcessingException e, Integer jsonLine) {
        JsonLocation at = e.getLocation();
        String where;
        if (at == null) {
            where = jsonLine == null ? "" : " on line " + jsonLine;
        } else if (jsonLine == null) {
            where = " at line " + at.getLineNr() + " column " + at.getColumnNr();
        } else {
            where = " on line " + jsonLine + " column " + at.getColumnNr();
        }
        // Jackson reports a cut-off document either as JsonEOFException or as "Unexpected end-of-input ...".
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonEOFException || message.contains("end-of-input")) {
            return "truncated JSON" + where + " (unexpected end of input)";
        }
        return "invalid JSON" + where + ": " + OneLine.first(e.getOriginalMessage(), "unreadable");
    }

    private static String decodeUtf8(Path path, byte[] bytes) throws ReportException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // validate through a small window, then decode once: a buffer the size of the file would cost 2 bytes
        // per input byte on top of the String
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer window = CharBuffer.allocate(64 * 1024);
        while (true) {
            CoderResult result = decoder.decode(in, window, true);
            if (result.isError()) {
                throw new ReportException(path,
                        "not UTF-8 text (invalid byte at offset " + in.position() + "), expected a text report");
            }
            if (result.isUnderflow()) {
                break;
            }
            window.clear();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }


    /** A parse result or the problem it raised, so a failure is reported the same way every time it is asked. */
    private static final class Parsed<T> {
        private final T value;
        private final ReportProblem problem;

        private Parsed(T value, ReportProblem problem) {
            this.value = value;
            this.problem = problem;
        }

        static <T> Parsed<T> of(Supplier<T> parse) {
            try {
                return new Parsed<>(parse.get(), null);
            } catch (ReportProblem p) {
                return new Parsed<>(null, p);
            }
        }

        T get() {
            if (problem != null) {
                throw problem;
            }
            return value;
        }
    }
}
