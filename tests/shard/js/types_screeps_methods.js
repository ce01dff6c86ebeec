// Lists every method @types/screeps declares, with where a bot finds it at run time, as JSON
// `[[path, name], …]` (e.g. ["Creep.prototype", "moveTo"], ["PathFinder.CostMatrix",
// "deserialize"], ["Game.cpu", "halt"]). Read with TypeScript's own parser, so a change in the
// declarations' layout cannot hide a method.
//
// node types_screeps_methods.js NODE_MODULES
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.resolve(process.argv[2]);
const ts = require(path.join(modules, 'typescript'));
const file = path.join(modules, '@types/screeps/index.d.ts');
const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

const interfaces = new Map(); // name -> Set of method names (own members only)
const classes = new Map();    // declare class NAME -> methods
const globals = new Map();    // declare const/var NAME: TYPE -> TYPE
const props = new Map();      // interface name -> Map(property -> type name)
function methodsOf(members, into, propsInto) {
  for (const m of members) {
    if (!m.name) continue;
    const name = m.name.getText(source);
    // An optional method (`activateAccess?()`) exists only where it applies.
    if ((ts.isMethodSignature(m) || ts.isMethodDeclaration(m)) && !m.questionToken) into.add(name);
    else if (ts.isPropertySignature(m) && m.type && ts.isTypeReferenceNode(m.type) && propsInto) {
      propsInto.set(name, m.type.typeName.getText(source));
    }
  }
}
for (const st of source.statements) {
  if (ts.isInterfaceDeclaration(st)) {
    const name = st.name.text;
    if (!interfaces.has(name)) { interfaces.set(name, new Set()); props.set(name, new Map()); }
    methodsOf(st.members, interfaces.get(name), props.get(name));
  } else if (ts.isClassDeclaration(st) && st.name) {
    const set = new Set();
    methodsOf(st.members, set, null);
    classes.set(st.name.text, set);
  } else if (ts.isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) {
      if (d.type && ts.isTypeReferenceNode(d.type)) globals.set(d.name.getText(source), d.type.typeName.getText(source));
    }
  }
}
const out = [];
const add = (where, set) => { for (const m of set || []) out.push([where, m]); };
for (const [name, type] of globals) {
  if (/^[A-Z0-9_]+$/.test(name)) continue; // constants
  if (type === name + 'Constructor') {
    add(name + '.prototype', interfaces.get(name));
    add(name, interfaces.get(type));
  } else if (interfaces.has(type)) {
    // An object (Game, PathFinder, RawMemory, InterShardMemory): its methods, and those of
    // its properties typed by an interface (Game.cpu, Game.map, Game.market).
    add(name, interfaces.get(type));
    for (const [prop, propType] of props.get(type) || []) {
      if (interfaces.has(propType) && interfaces.get(propType).size && !propType.endsWith('Constructor')) {
        add(name + '.' + prop, interfaces.get(propType));
      }
    }
  }
}
for (const [name, set] of classes) add(name + '.prototype', set);
// Classes reached through another global.
add('Room.Terrain.prototype', interfaces.get('RoomTerrain'));
add('PathFinder.CostMatrix.prototype', interfaces.get('CostMatrix'));
add('PathFinder.CostMatrix', interfaces.get('CostMatrixConstructor'));
add('StructureSpawn.Spawning.prototype', interfaces.get('Spawning'));
process.stdout.write(JSON.stringify(out));
