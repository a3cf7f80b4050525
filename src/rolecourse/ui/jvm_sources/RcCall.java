import java.io.*;
import java.lang.reflect.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** Calls one static method (or a Scala object's method) on JSON arguments and writes its result as JSON. */
public final class RcCall {
  public static void main(String[] a) throws Exception {
    String text = new String(Files.readAllBytes(Paths.get(a[2])), StandardCharsets.UTF_8);
    List<?> args = (List<?>) new Json(text).value();
    Class<?> cls = Class.forName(a[0]);
    Object target = null;
    Method found = pick(cls, a[1], args.size(), true);
    if (found == null) {
      try {
        Class<?> module = Class.forName(a[0] + "$");
        target = module.getField("MODULE$").get(null);
        found = pick(module, a[1], args.size(), false);
      } catch (ClassNotFoundException | NoSuchFieldException e) { /* not a Scala object */ }
    }
    if (found == null) {
      System.err.println("@@rc no public static method " + a[1] + " with " + args.size() + " parameter(s) in " + a[0]);
      System.exit(3);
    }
    Type[] types = found.getGenericParameterTypes();
    Class<?>[] raw = found.getParameterTypes();
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) values[i] = convert(args.get(i), raw[i], types[i]);
    found.setAccessible(true);
    Object result;
    try {
      result = found.invoke(target, values);
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      StringBuilder where = new StringBuilder();
      for (StackTraceElement s : t.getStackTrace()) {
        if (s.getClassName().startsWith(a[0])) { where.append(" (at ").append(s.getFileName()).append(":").append(s.getLineNumber()).append(")"); break; }
      }
      System.err.println("@@rc " + t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + where);
      System.exit(2);
      return;
    }
    StringBuilder out = new StringBuilder();
    write(result, out);
    Files.write(Paths.get(a[3]), out.toString().getBytes(StandardCharsets.UTF_8));
  }

  static Method pick(Class<?> cls, String name, int n, boolean wantStatic) {
    for (Method m : cls.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == n && Modifier.isStatic(m.getModifiers()) == wantStatic) return m;
    }
    return null;
  }

  static Class<?> rawOf(Type t) {
    if (t instanceof Class) return (Class<?>) t;
    if (t instanceof ParameterizedType) return (Class<?>) ((ParameterizedType) t).getRawType();
    return Object.class;
  }

  static Type typeArg(Type t, int i) {
    if (t instanceof ParameterizedType) {
      Type[] args = ((ParameterizedType) t).getActualTypeArguments();
      if (i < args.length) return args[i] instanceof WildcardType ? ((WildcardType) args[i]).getUpperBounds()[0] : args[i];
    }
    return Object.class;
  }

  static Object scala(String cls, String method, Class<?> argType, Object arg) throws Exception {
    return Class.forName(cls).getMethod(method, argType).invoke(Class.forName(cls).getField("MODULE$").get(null), arg);
  }

  static Object convert(Object v, Class<?> c, Type g) throws Exception {
    if (v == null) return c == Optional.class ? Optional.empty() : (c.getName().equals("scala.Option") ? Class.forName("scala.None$").getField("MODULE$").get(null) : null);
    if (c == int.class || c == Integer.class) return ((Number) v).intValue();
    if (c == long.class || c == Long.class) return ((Number) v).longValue();
    if (c == double.class || c == Double.class) return ((Number) v).doubleValue();
    if (c == float.class || c == Float.class) return ((Number) v).floatValue();
    if (c == short.class || c == Short.class) return ((Number) v).shortValue();
    if (c == byte.class || c == Byte.class) return ((Number) v).byteValue();
    if (c == boolean.class || c == Boolean.class) return v;
    if (c == char.class || c == Character.class) return ((String) v).charAt(0);
    if (c == String.class) return v;
    if (c.isArray()) {
      List<?> items = (List<?>) v;
      Object arr = Array.newInstance(c.getComponentType(), items.size());
      for (int i = 0; i < items.size(); i++) Array.set(arr, i, convert(items.get(i), c.getComponentType(), c.getComponentType()));
      return arr;
    }
    if (c == Optional.class) return Optional.of(convert(v, rawOf(typeArg(g, 0)), typeArg(g, 0)));
    if (v instanceof List && (c == List.class || c == Collection.class || c == Iterable.class || c == ArrayList.class || c == Set.class || c == HashSet.class || c == LinkedHashSet.class)) {
      Collection<Object> out = (c == Set.class || c == HashSet.class || c == LinkedHashSet.class) ? new LinkedHashSet<>() : new ArrayList<>();
      Type e = typeArg(g, 0);
      for (Object item : (List<?>) v) out.add(convert(item, rawOf(e), e));
      return out;
    }
    if (v instanceof Map && (c == Map.class || c == HashMap.class || c == LinkedHashMap.class || c == TreeMap.class)) {
      Map<Object, Object> out = c == TreeMap.class ? new TreeMap<>() : new LinkedHashMap<>();
      Type k = typeArg(g, 0), e = typeArg(g, 1);
      for (Map.Entry<?, ?> en : ((Map<?, ?>) v).entrySet()) {
        Object key = en.getKey();
        Class<?> kc = rawOf(k);
        if (kc == Integer.class) key = Integer.valueOf((String) key);
        else if (kc == Long.class) key = Long.valueOf((String) key);
        out.put(key, convert(en.getValue(), rawOf(e), e));
      }
      return out;
    }
    String name = c.getName();
    if (name.equals("scala.Option")) return scala("scala.Option$", "apply", Object.class, v);
    if (name.startsWith("scala.collection") && v instanceof List) {
      Object it = Class.forName("scala.jdk.javaapi.CollectionConverters").getMethod("asScala", Iterable.class).invoke(null, (Iterable<?>) v);
      Object iterOnce = Class.forName("scala.collection.Iterable").getMethod("iterator").invoke(it);
      String factory = name.endsWith("Vector") || name.endsWith("IndexedSeq") ? "scala.collection.immutable.Vector$"
          : name.endsWith("Set") ? "scala.collection.immutable.Set$" : "scala.collection.immutable.List$";
      return Class.forName(factory).getMethod("from", Class.forName("scala.collection.IterableOnce")).invoke(Class.forName(factory).getField("MODULE$").get(null), iterOnce);
    }
    if (name.startsWith("scala.collection") && v instanceof Map) {
      Object m = Class.forName("scala.jdk.javaapi.CollectionConverters").getMethod("asScala", Map.class).invoke(null, (Map<?, ?>) v);
      Object iterOnce = Class.forName("scala.collection.Iterable").getMethod("iterator").invoke(m);
      Object factory = Class.forName("scala.collection.immutable.Map$").getField("MODULE$").get(null);
      return factory.getClass().getMethod("from", Class.forName("scala.collection.IterableOnce")).invoke(factory, iterOnce);
    }
    return v;
  }

  static void write(Object v, StringBuilder out) throws Exception {
    if (v == null) { out.append("null"); return; }
    if (v instanceof Boolean) { out.append(v); return; }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      out.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : Double.toString(d)); return;
    }
    if (v instanceof Number) { out.append(v); return; }
    if (v instanceof CharSequence || v instanceof Character) { str(v.toString(), out); return; }
    if (v instanceof Enum) { str(((Enum<?>) v).name(), out); return; }
    if (v instanceof Optional) { write(((Optional<?>) v).orElse(null), out); return; }
    if (v instanceof Map) {
      out.append('{'); boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) out.append(','); first = false;
        str(String.valueOf(e.getKey()), out); out.append(':'); write(e.getValue(), out);
      }
      out.append('}'); return;
    }
    if (v instanceof Iterable) {
      out.append('['); boolean first = true;
      for (Object o : (Iterable<?>) v) { if (!first) out.append(','); first = false; write(o, out); }
      out.append(']'); return;
    }
    if (v.getClass().isArray()) {
      out.append('[');
      for (int i = 0; i < Array.getLength(v); i++) { if (i > 0) out.append(','); write(Array.get(v, i), out); }
      out.append(']'); return;
    }
    if (v.getClass().isRecord()) {
      out.append('{'); boolean first = true;
      for (RecordComponent rc : v.getClass().getRecordComponents()) {
        if (!first) out.append(','); first = false;
        str(rc.getName(), out); out.append(':'); write(rc.getAccessor().invoke(v), out);
      }
      out.append('}'); return;
    }
    String name = v.getClass().getName();
    if (name.startsWith("scala.")) {
      if (name.equals("scala.None$")) { out.append("null"); return; }
      if (name.equals("scala.Some")) { write(v.getClass().getMethod("value").invoke(v), out); return; }
      Class<?> conv = Class.forName("scala.jdk.javaapi.CollectionConverters");
      if (Class.forName("scala.collection.Map").isInstance(v)) { write(conv.getMethod("asJava", Class.forName("scala.collection.Map")).invoke(null, v), out); return; }
      if (Class.forName("scala.collection.Iterable").isInstance(v)) { write(conv.getMethod("asJava", Class.forName("scala.collection.Iterable")).invoke(null, v), out); return; }
    }
    try {
      Class<?> product = Class.forName("scala.Product");
      if (product.isInstance(v)) {
        int n = (Integer) product.getMethod("productArity").invoke(v);
        boolean tuple = name.startsWith("scala.Tuple");
        out.append(tuple ? '[' : '{');
        for (int i = 0; i < n; i++) {
          if (i > 0) out.append(',');
          if (!tuple) { str((String) product.getMethod("productElementName", int.class).invoke(v, i), out); out.append(':'); }
          write(product.getMethod("productElement", int.class).invoke(v, i), out);
        }
        out.append(tuple ? ']' : '}'); return;
      }
    } catch (ClassNotFoundException e) { /* plain Java */ }
    str(v.toString(), out);
  }

  static void str(String s, StringBuilder out) {
    out.append('"');
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') out.append('\\').append(ch);
      else if (ch < 0x20) out.append(String.format("\\u%04x", (int) ch));
      else out.append(ch);
    }
    out.append('"');
  }

  /** A small JSON reader: objects become LinkedHashMaps, arrays ArrayLists, numbers Integer/Long or Double. */
  static final class Json {
    final String s; int i;
    Json(String s) { this.s = s; }
    void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
    Object value() {
      ws(); char c = s.charAt(i);
      if (c == '{') { i++; Map<String, Object> m = new LinkedHashMap<>(); ws();
        if (s.charAt(i) == '}') { i++; return m; }
        while (true) { ws(); String k = (String) value(); ws(); i++; m.put(k, value()); ws(); if (s.charAt(i++) == '}') return m; } }
      if (c == '[') { i++; List<Object> l = new ArrayList<>(); ws();
        if (s.charAt(i) == ']') { i++; return l; }
        while (true) { l.add(value()); ws(); if (s.charAt(i++) == ']') return l; } }
      if (c == '"') { StringBuilder b = new StringBuilder(); i++;
        while (s.charAt(i) != '"') { char ch = s.charAt(i++);
          if (ch == '\\') { char e = s.charAt(i++);
            switch (e) { case 'n': b.append('\n'); break; case 't': b.append('\t'); break; case 'r': b.append('\r'); break;
              case 'b': b.append('\b'); break; case 'f': b.append('\f'); break;
              case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break; default: b.append(e); } }
          else b.append(ch); }
        i++; return b.toString(); }
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i; while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String num = s.substring(start, i);
      if (num.contains(".") || num.contains("e") || num.contains("E")) return Double.valueOf(num);
      long l = Long.parseLong(num);
      return (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) ? (Object) (int) l : (Object) l;
    }
  }
}
