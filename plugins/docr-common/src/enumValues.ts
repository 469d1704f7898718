/**
 * The values of a string union as a tuple (for `z.enum`), checked to be all of them: a value the
 * union lacks, or a member of the union left out, is a type error. Used for the enums the OpenAPI
 * spec defines (the union types are generated from it).
 */
export function allValuesOf<T extends string>() {
  return <const A extends readonly [T, ...T[]]>(
    values: A & ([Exclude<T, A[number]>] extends [never] ? unknown : never),
  ): A => values;
}
