package dev.herald.webhooks.core.filter;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.herald.webhooks.api.NewEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An endpoint's payload filter: a CEL expression over the envelope ({@code type}, {@code subject},
 * {@code tenant_id}, {@code data}, {@code metadata}), e.g. {@code data.importance >= 0.8 &&
 * type.startsWith("memory.")}. Checked when it is compiled, so that a mistake is refused at save
 * with its position; evaluated at routing. An evaluation that fails (a missing key without {@code
 * has()}, a type mismatch) does not match. Numbers compare across int and double. Immutable and
 * thread-safe.
 */
public final class PayloadFilter {
  /** Longest expression accepted. */
  public static final int MAX_LENGTH = 2000;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(1000)
          .build();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setOptions(OPTIONS)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("type", SimpleType.STRING)
          .addVar("subject", SimpleType.STRING)
          .addVar("tenant_id", SimpleType.STRING)
          .addVar("data", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("metadata", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

  /** Compiled filters by expression, so that routing compiles each once. */
  private static final Map<String, Optional<PayloadFilter>> COMPILED = new ConcurrentHashMap<>();

  private static final int COMPILED_MAX = 10_000;

  private final String expression;
  private final CelRuntime.Program program;

  private PayloadFilter(String expression, CelRuntime.Program program) {
    this.expression = expression;
    this.program = program;
  }

  /**
   * Parses and type-checks an expression.
   *
   * @throws IllegalArgumentException saying what is wrong and where ({@code line:column})
   */
  public static PayloadFilter compile(String expression) {
    Objects.requireNonNull(expression, "expression");
    if (expression.isBlank()) {
      throw new IllegalArgumentException("the filter is empty");
    }
    if (expression.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the filter is " + expression.length() + " characters long; at most " + MAX_LENGTH);
    }
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return new PayloadFilter(expression, RUNTIME.createProgram(ast));
    } catch (CelValidationException e) {
      throw new IllegalArgumentException(describe(e), e);
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("the filter cannot run: " + e.getMessage(), e);
    }
  }

  /** CEL's messages say {@code ERROR: <input>:1:12: ...}; the tenant's input has no name. */
  private static String describe(CelValidationException e) {
    return e.getMessage().replace("<input>:", "at ").strip();
  }

  /** Whether the event matches; an expression that fails on it does not. */
  public boolean matches(NewEvent event) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("type", event.type());
    variables.put("subject", event.subject() == null ? "" : event.subject());
    variables.put("tenant_id", event.tenantId());
    variables.put("data", celValue(event.data()));
    variables.put("metadata", celValue(event.metadata()));
    try {
      return Boolean.TRUE.equals(program.eval(variables));
    } catch (CelEvaluationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether a stored filter matches, compiling it once; a filter that no longer compiles (after an
   * upgrade of the language) matches nothing.
   */
  public static boolean matches(String expression, NewEvent event) {
    Optional<PayloadFilter> filter = COMPILED.get(expression);
    if (filter == null) {
      if (COMPILED.size() >= COMPILED_MAX) {
        COMPILED.clear();
      }
      try {
        filter = Optional.of(compile(expression));
      } catch (IllegalArgumentException e) {
        filter = Optional.empty();
      }
      COMPILED.put(expression, filter);
    }
    return filter.map(f -> f.matches(event)).orElse(false);
  }

  /** JSON values as CEL's runtime takes them: integers as long, other numbers as double. */
  static Object celValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> converted = new LinkedHashMap<>();
      map.forEach((k, v) -> converted.put(String.valueOf(k), celValue(v)));
      return converted;
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>(list.size());
      list.forEach(v -> converted.add(celValue(v)));
      return converted;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? big.longValue() : big.doubleValue();
    }
    if (value instanceof BigDecimal decimal) {
      try {
        return decimal.longValueExact();
      } catch (ArithmeticException notAWholeLong) {
        return decimal.doubleValue();
      }
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value == null) {
      return com.google.protobuf.NullValue.NULL_VALUE;
    }
    return value;
  }

  public String expression() {
    return expression;
  }

  @Override
  public String toString() {
    return expression;
  }
}
