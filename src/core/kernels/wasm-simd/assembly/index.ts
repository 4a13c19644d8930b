// The kernels of our WebAssembly module (AssemblyScript; see ../compile.mjs). Every export takes the range of
// images n0 .. n1-1 it works on first, so that ../kernel-threads.ts can split a call across threads.
export { filterGrad } from './conv-filter-grad';
export { convForward } from './conv-forward';
export { convInputGrad, transposeFilter } from './conv-input-grad';
export { bnAffine, bnGradPartial, bnMomentsPartial } from './batchnorm';
export { colorJitter } from './color-jitter';
