/**
 * What the queries answer, as records of their own: the read models return them and the application, renderers
 * and adapters read them, so no one outside a read model depends on its inner types.
 */
package dev.autotune.domain.query;
