package dev.autotune.runner.config;

import java.util.Locale;

/** Maps CloudAI {@code test_template_name}s to the serving backend autotune records. */
public final class Backends {
    private Backends() {
    }

    /**
     * {@code vllm -> vllm}, {@code sglang -> sglang}, {@code AIDynamo -> dynamo}, {@code TritonInference -> triton};
     * any other template name is lower-cased. Null or blank gives null.
     */
    public static String fromTemplate(String testTemplateName) {
        if (testTemplateName == null || testTemplateName.isBlank()) {
            return null;
        }
        String t = testTemplateName.strip();
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "vllm" -> "vllm";
            case "sglang" -> "sglang";
            case "aidynamo" -> "dynamo";
            case "tritoninference" -> "triton";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }
}
