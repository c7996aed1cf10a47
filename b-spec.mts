import { readSpec } from './src/index.js';
// nested composites: {"kind":"sequential","inputDim":1,"outputDim":1,"children":[ ... ]}
const n = 200000;
let s = '';
for (let i = 0; i < n; i++) s += '{"kind":"sequential","inputDim":1,"outputDim":1,"children":[';
s += '{"kind":"dense","inputDim":1,"outputDim":1}' + ']}'.repeat(n);
const text = `{"format":"foldnet","version":1,"kind":"params","spec":${s},"params":[]}`;
console.log(text.length);
let t = Date.now();
const r = readSpec(text);
console.log(Date.now() - t, r._tag, r._tag === 'Left' ? r.left.slice(0, 2).map((e) => e.message) : '');
const wide = `{"format":"foldnet","version":1,"kind":"params","spec":{"kind":"s","inputDim":1,"outputDim":1,"children":[${Array.from({ length: 300000 }, () => '{"kind":"dense","inputDim":1,"outputDim":1,"config":{"a":[1]}}').join(',')}]},"params":[]}`;
t = Date.now();
const r2 = readSpec(wide);
console.log(wide.length, Date.now() - t, r2._tag, r2._tag === 'Left' ? r2.left.length : '');
