// handlebars' own runtime.d.ts types the subpath without its extension; Node's ES module
// resolution needs `handlebars/runtime.js` (the package has no exports map).
declare module 'handlebars/runtime.js' {
  import Handlebars from 'handlebars';
  export default Handlebars;
}
