import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DIRS = ['src', 'scenarios', 'properties', 'bin'];
const SOURCE = /\.(m|c)?[tj]s$/;
const TEST = /\.(test|spec|d)\.[mc]?[tj]s$/;
const IMPORT =
  /(?:import|export)\s+(?:type\s+)?(?:[\s\S]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return e === 'node_modules' ? [] : files(p);
    return SOURCE.test(e) && !TEST.test(e) ? [p] : [];
  });
}

/** The project's own import graph (type-only imports included: a cycle of types is still a knot). */
function graph(): Map<string, string[]> {
  const all = DIRS.flatMap((d) => {
    try {
      return files(join(ROOT, d));
    } catch {
      return [];
    }
  });
  const known = new Set(all);
  const edges = new Map<string, string[]>();
  for (const f of all) {
    const targets = [...readFileSync(f, 'utf8').matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2])
      .filter((s) => s.startsWith('.'))
      .map((s) => resolve(dirname(f), s))
      .flatMap((b) => [b, b.replace(/\.js$/, '.ts'), `${b}.ts`, join(b, 'index.ts')])
      .filter((c) => known.has(c) && c !== f);
    edges.set(f, [...new Set(targets)]);
  }
  return edges;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(edges: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.map((f) => f.slice(ROOT.length + 1)).sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('module graph', () => {
  it('finds a cycle when there is one (the detector can fail)', () => {
    const a = join(ROOT, 'a.ts');
    const b = join(ROOT, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });

  it('has no import cycles among the project modules', () => {
    const g = graph();
    expect(g.size).toBeGreaterThan(100);
    expect(cycles(g)).toEqual([]);
  });
});
