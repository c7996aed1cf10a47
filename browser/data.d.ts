// The build (browser/build.ts) embeds data files as text: `import text from '../data/iris.csv'`.
declare module '*.csv' {
  const text: string;
  export default text;
}
