// The type a value has on the client after `toJson` (lib/http/route.ts) and JSON.parse: Dates and bigints
// become strings, properties that may be undefined become optional, functions and symbols disappear,
// Maps and Sets become `{}`, and undefined in an array becomes null.
// Types only: the dashboard imports response types built with it (`import type`, erased at build).

type JsonPrimitive = string | number | boolean | null;

/** A value that is already JSON (e.g. Prisma's JsonValue) stays as it is. */
type PlainJson = JsonPrimitive | readonly PlainJson[] | { readonly [key: string]: PlainJson | undefined };

type Dropped = undefined | symbol | ((...args: never[]) => unknown);

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type KeptKeys<T> = { [K in keyof T]-?: K extends string ? ([Exclude<T[K], Dropped>] extends [never] ? never : K) : never }[keyof T];
type RequiredKeys<T> = { [K in KeptKeys<T>]-?: undefined extends T[K] ? never : K }[KeptKeys<T>];
type OptionalKeys<T> = Exclude<KeptKeys<T>, RequiredKeys<T>>;

type JsonifyObject<T> = Simplify<{ [K in RequiredKeys<T>]: Jsonify<T[K]> } & { [K in OptionalKeys<T>]?: Jsonify<Exclude<T[K], undefined>> }>;

export type Jsonify<T> = T extends PlainJson
  ? T
  : T extends Date | bigint
    ? string
    : T extends Dropped
      ? never
      : T extends ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>
        ? Record<string, never>
        : T extends readonly (infer U)[]
          ? ([Exclude<U, Dropped>] extends [never] ? null : Jsonify<Exclude<U, Dropped>> | (Extract<U, Dropped> extends never ? never : null))[]
          : T extends object
            ? JsonifyObject<T>
            : never;

/** What a route answers when its handler returns what `fn` resolves to. */
export type JsonResponseOf<F extends (...args: never[]) => unknown> = Jsonify<Awaited<ReturnType<F>>>;
