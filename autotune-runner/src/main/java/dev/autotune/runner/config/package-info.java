/**
 * TOML configs: typing of value text ({@link dev.autotune.runner.config.TomlValues}), flattening to dotted keys
 * ({@link dev.autotune.runner.config.Flattener}), deriving a config with overrides
 * ({@link dev.autotune.runner.config.ConfigDeriver}, written with tomlj 2.2.0's own source-preserving serializer),
 * reading a config for ingestion ({@link dev.autotune.runner.config.ConfigFile}) and reading a CloudAI scenario's
 * knobs and sweeps ({@link dev.autotune.runner.config.ScenarioFile}, names per
 * {@link dev.autotune.runner.config.Knobs}). Every error is a {@link dev.autotune.runner.config.ConfigException} with a
 * one-line message naming the file and, where there is one, the key.
 */
package dev.autotune.runner.config;
