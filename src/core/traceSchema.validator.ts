// @ts-nocheck
// GENERATED from src/core/trace.schema.json by src/core/traceSchema.generate.mjs (run by esbuild.mjs). Do not edit.
import func2 from 'ajv/dist/runtime/ucs2length';
export const validate = validate10;
export default validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://hopscope.dev/schema/hopscope.trace/v1.json","title":"Hopscope trajectory (hopscope.trace/v1)","description":"One line of a Hopscope JSONL trace file: one run of a search-augmented reasoning agent on one question. Fields may be added; none is renamed without a new schema version.","type":"object","required":["schema","id","runId","createdAt","question","policy","retriever","steps","answer","stopReason","outcome","rewards","labels","usage","timing","raw"],"properties":{"schema":{"const":"hopscope.trace/v1"},"id":{"type":"string","minLength":1},"runId":{"type":"string"},"createdAt":{"type":"string","format":"date-time"},"question":{"type":"string"},"gold":{"type":"array","items":{"type":"string"}},"goldDocs":{"type":"array","items":{"type":"string"},"description":"Gold (supporting) paragraphs from the dataset, by document id or title."},"policy":{"type":"object","required":["endpoint","model","template","params"],"properties":{"endpoint":{"type":"string","description":"Endpoint URL without credentials.","not":{"pattern":"//[^/]*@"}},"model":{"type":"string"},"template":{"type":"string"},"params":{"type":"object"}}},"retriever":{"type":"object","required":["kind","topK"],"properties":{"kind":{"type":"string"},"topK":{"type":"integer","minimum":0},"index":{"type":"string"}}},"steps":{"type":"array","items":{"$ref":"#/definitions/step"}},"answer":{"type":["string","null"]},"stopReason":{"enum":["finished","max_turns","length","eos_no_answer","empty_query","error","cancelled"]},"outcome":{"type":"object","additionalProperties":{"type":"number"}},"rewards":{"$ref":"#/definitions/rewards"},"labels":{"type":"array","items":{"type":"object","required":["label","explanation"],"properties":{"label":{"type":"string"},"explanation":{"type":"string"},"step":{"type":"integer","minimum":0}}}},"usage":{"type":"object","properties":{"promptTokens":{"type":"integer","minimum":0},"completionTokens":{"type":"integer","minimum":0}}},"timing":{"type":"object","properties":{"totalMs":{"type":"number","minimum":0},"modelMs":{"type":"number","minimum":0},"retrievalMs":{"type":"number","minimum":0}}},"raw":{"type":"string"},"error":{"type":"string"},"source":{"type":"object","required":["format"],"properties":{"format":{"type":"string"},"file":{"type":"string"},"line":{"type":"integer"}}},"dataset":{"type":"string"},"metricDefinition":{"enum":["r1-searcher","search-r1","flashrag"],"description":"Which paper's answer-metric functions computed `outcome` (em/f1/coverEm for r1-searcher, em/subEm for search-r1, em/f1 for flashrag). Absent: no gold answer, or a trace written before definitions were recorded (those used R1-Searcher's metrics with SQuAD's normaliser)."},"recordedScores":{"type":"object","additionalProperties":{"type":"number"},"description":"Scores an imported file recorded itself, under the file's own field names (e.g. `score`, `reward`); kept as read, never recomputed, beside Hopscope's `outcome`."},"forkOf":{"type":"object","required":["id","step"],"properties":{"id":{"type":"string"},"step":{"type":"integer","minimum":0},"contextRebuilt":{"type":"boolean","description":"The original's transcript did not match the fork's template: its context was re-assembled from its steps."},"retriever":{"type":"object","description":"Set when the fork searched another retriever than the original did.","required":["original","fork"],"properties":{"original":{"type":"string"},"fork":{"type":"string"}}}}},"training":{"type":"object","description":"A rollout of an RL training run: the trainer's step, the GRPO group (a hash of the prompt), the trainer's reward and the dump's extra fields.","required":["step","group"],"properties":{"step":{"type":"integer"},"group":{"type":"string"},"trainerScore":{"type":"number"},"extras":{"type":"object"}}}},"definitions":{"rewards":{"type":"object","additionalProperties":{"type":"number"}},"truncated":{"type":"object","description":"Set when the text was cut to the content cap (hopscope.limits.maxDocChars / maxTurnChars): its length before the cut.","required":["originalChars"],"properties":{"originalChars":{"type":"integer","minimum":0}}},"stepBase":{"type":"object","required":["kind","rewards"],"properties":{"rewards":{"$ref":"#/definitions/rewards"},"ms":{"type":"number","minimum":0},"tokens":{"type":"integer","minimum":0},"error":{"type":"string"},"truncated":{"$ref":"#/definitions/truncated"}}},"doc":{"type":"object","required":["id","rank","score","title","text"],"properties":{"id":{"type":"string"},"rank":{"type":"integer","minimum":1},"score":{"type":"number"},"title":{"type":"string"},"text":{"type":"string"},"path":{"type":"string"},"startLine":{"type":"integer","minimum":0},"endLine":{"type":"integer","minimum":0},"raw":{"type":"string","description":"The document exactly as the retrieval server sent it (an R1-Searcher /queries string, a Search-R1 `contents`), when it differs from `title` and `text` rendered back; templates that splice documents as upstream does use it."},"truncated":{"$ref":"#/definitions/truncated"}}},"step":{"oneOf":[{"allOf":[{"$ref":"#/definitions/stepBase"}],"required":["text"],"properties":{"kind":{"const":"reason"},"text":{"type":"string"}}},{"allOf":[{"$ref":"#/definitions/stepBase"}],"required":["query","docs"],"properties":{"kind":{"const":"search"},"query":{"type":"string"},"docs":{"type":"array","items":{"$ref":"#/definitions/doc"}}}},{"allOf":[{"$ref":"#/definitions/stepBase"}],"required":["text"],"properties":{"kind":{"const":"answer"},"text":{"type":"string"}}}]}}};
const schema14 = {"type":"object","additionalProperties":{"type":"number"}};

const pattern0 = new RegExp("//[^/]*@", "u");
const schema12 = {"oneOf":[{"allOf":[{"$ref":"#/definitions/stepBase"}],"required":["text"],"properties":{"kind":{"const":"reason"},"text":{"type":"string"}}},{"allOf":[{"$ref":"#/definitions/stepBase"}],"required":["query","docs"],"properties":{"kind":{"const":"search"},"query":{"type":"string"},"docs":{"type":"array","items":{"$ref":"#/definitions/doc"}}}},{"allOf":[{"$ref":"#/definitions/stepBase"}],"required":["text"],"properties":{"kind":{"const":"answer"},"text":{"type":"string"}}}]};
const schema13 = {"type":"object","required":["kind","rewards"],"properties":{"rewards":{"$ref":"#/definitions/rewards"},"ms":{"type":"number","minimum":0},"tokens":{"type":"integer","minimum":0},"error":{"type":"string"},"truncated":{"$ref":"#/definitions/truncated"}}};
const schema15 = {"type":"object","description":"Set when the text was cut to the content cap (hopscope.limits.maxDocChars / maxTurnChars): its length before the cut.","required":["originalChars"],"properties":{"originalChars":{"type":"integer","minimum":0}}};

function validate12(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.kind === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.rewards === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "rewards"},message:"must have required property '"+"rewards"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.rewards !== undefined){
let data0 = data.rewards;
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
for(const key0 in data0){
if(!(typeof data0[key0] == "number")){
const err2 = {instancePath:instancePath+"/rewards/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/rewards/additionalProperties/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
}
else {
const err3 = {instancePath:instancePath+"/rewards",schemaPath:"#/definitions/rewards/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.ms !== undefined){
let data2 = data.ms;
if(typeof data2 == "number"){
if(data2 < 0 || isNaN(data2)){
const err4 = {instancePath:instancePath+"/ms",schemaPath:"#/properties/ms/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/ms",schemaPath:"#/properties/ms/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.tokens !== undefined){
let data3 = data.tokens;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
const err6 = {instancePath:instancePath+"/tokens",schemaPath:"#/properties/tokens/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(typeof data3 == "number"){
if(data3 < 0 || isNaN(data3)){
const err7 = {instancePath:instancePath+"/tokens",schemaPath:"#/properties/tokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
if(data.error !== undefined){
if(typeof data.error !== "string"){
const err8 = {instancePath:instancePath+"/error",schemaPath:"#/properties/error/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.truncated !== undefined){
let data5 = data.truncated;
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.originalChars === undefined){
const err9 = {instancePath:instancePath+"/truncated",schemaPath:"#/definitions/truncated/required",keyword:"required",params:{missingProperty: "originalChars"},message:"must have required property '"+"originalChars"+"'"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data5.originalChars !== undefined){
let data6 = data5.originalChars;
if(!((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6)))){
const err10 = {instancePath:instancePath+"/truncated/originalChars",schemaPath:"#/definitions/truncated/properties/originalChars/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(typeof data6 == "number"){
if(data6 < 0 || isNaN(data6)){
const err11 = {instancePath:instancePath+"/truncated/originalChars",schemaPath:"#/definitions/truncated/properties/originalChars/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
}
else {
const err12 = {instancePath:instancePath+"/truncated",schemaPath:"#/definitions/truncated/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
validate12.errors = vErrors;
return errors === 0;
}

const schema16 = {"type":"object","required":["id","rank","score","title","text"],"properties":{"id":{"type":"string"},"rank":{"type":"integer","minimum":1},"score":{"type":"number"},"title":{"type":"string"},"text":{"type":"string"},"path":{"type":"string"},"startLine":{"type":"integer","minimum":0},"endLine":{"type":"integer","minimum":0},"raw":{"type":"string","description":"The document exactly as the retrieval server sent it (an R1-Searcher /queries string, a Search-R1 `contents`), when it differs from `title` and `text` rendered back; templates that splice documents as upstream does use it."},"truncated":{"$ref":"#/definitions/truncated"}}};

function validate15(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.rank === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "rank"},message:"must have required property '"+"rank"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.score === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "score"},message:"must have required property '"+"score"+"'"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.title === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "title"},message:"must have required property '"+"title"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.text === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "text"},message:"must have required property '"+"text"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.id !== undefined){
if(typeof data.id !== "string"){
const err5 = {instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.rank !== undefined){
let data1 = data.rank;
if(!((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1)))){
const err6 = {instancePath:instancePath+"/rank",schemaPath:"#/properties/rank/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(typeof data1 == "number"){
if(data1 < 1 || isNaN(data1)){
const err7 = {instancePath:instancePath+"/rank",schemaPath:"#/properties/rank/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
if(data.score !== undefined){
if(!(typeof data.score == "number")){
const err8 = {instancePath:instancePath+"/score",schemaPath:"#/properties/score/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.title !== undefined){
if(typeof data.title !== "string"){
const err9 = {instancePath:instancePath+"/title",schemaPath:"#/properties/title/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.text !== undefined){
if(typeof data.text !== "string"){
const err10 = {instancePath:instancePath+"/text",schemaPath:"#/properties/text/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.path !== undefined){
if(typeof data.path !== "string"){
const err11 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data.startLine !== undefined){
let data6 = data.startLine;
if(!((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6)))){
const err12 = {instancePath:instancePath+"/startLine",schemaPath:"#/properties/startLine/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(typeof data6 == "number"){
if(data6 < 0 || isNaN(data6)){
const err13 = {instancePath:instancePath+"/startLine",schemaPath:"#/properties/startLine/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
if(data.endLine !== undefined){
let data7 = data.endLine;
if(!((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7)))){
const err14 = {instancePath:instancePath+"/endLine",schemaPath:"#/properties/endLine/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(typeof data7 == "number"){
if(data7 < 0 || isNaN(data7)){
const err15 = {instancePath:instancePath+"/endLine",schemaPath:"#/properties/endLine/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
if(data.raw !== undefined){
if(typeof data.raw !== "string"){
const err16 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.truncated !== undefined){
let data9 = data.truncated;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.originalChars === undefined){
const err17 = {instancePath:instancePath+"/truncated",schemaPath:"#/definitions/truncated/required",keyword:"required",params:{missingProperty: "originalChars"},message:"must have required property '"+"originalChars"+"'"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(data9.originalChars !== undefined){
let data10 = data9.originalChars;
if(!((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10)))){
const err18 = {instancePath:instancePath+"/truncated/originalChars",schemaPath:"#/definitions/truncated/properties/originalChars/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(typeof data10 == "number"){
if(data10 < 0 || isNaN(data10)){
const err19 = {instancePath:instancePath+"/truncated/originalChars",schemaPath:"#/definitions/truncated/properties/originalChars/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
}
else {
const err20 = {instancePath:instancePath+"/truncated",schemaPath:"#/definitions/truncated/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
validate15.errors = vErrors;
return errors === 0;
}


function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
const _errs0 = errors;
let valid0 = false;
let passing0 = null;
const _errs1 = errors;
if(!(validate12(data, {instancePath,parentData,parentDataProperty,rootData}))){
vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);
errors = vErrors.length;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.text === undefined){
const err0 = {instancePath,schemaPath:"#/oneOf/0/required",keyword:"required",params:{missingProperty: "text"},message:"must have required property '"+"text"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind !== undefined){
if("reason" !== data.kind){
const err1 = {instancePath:instancePath+"/kind",schemaPath:"#/oneOf/0/properties/kind/const",keyword:"const",params:{allowedValue: "reason"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.text !== undefined){
if(typeof data.text !== "string"){
const err2 = {instancePath:instancePath+"/text",schemaPath:"#/oneOf/0/properties/text/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
}
var _valid0 = _errs1 === errors;
if(_valid0){
valid0 = true;
passing0 = 0;
}
const _errs6 = errors;
if(!(validate12(data, {instancePath,parentData,parentDataProperty,rootData}))){
vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);
errors = vErrors.length;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.query === undefined){
const err3 = {instancePath,schemaPath:"#/oneOf/1/required",keyword:"required",params:{missingProperty: "query"},message:"must have required property '"+"query"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.docs === undefined){
const err4 = {instancePath,schemaPath:"#/oneOf/1/required",keyword:"required",params:{missingProperty: "docs"},message:"must have required property '"+"docs"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.kind !== undefined){
if("search" !== data.kind){
const err5 = {instancePath:instancePath+"/kind",schemaPath:"#/oneOf/1/properties/kind/const",keyword:"const",params:{allowedValue: "search"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.query !== undefined){
if(typeof data.query !== "string"){
const err6 = {instancePath:instancePath+"/query",schemaPath:"#/oneOf/1/properties/query/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.docs !== undefined){
let data4 = data.docs;
if(Array.isArray(data4)){
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
if(!(validate15(data4[i0], {instancePath:instancePath+"/docs/" + i0,parentData:data4,parentDataProperty:i0,rootData}))){
vErrors = vErrors === null ? validate15.errors : vErrors.concat(validate15.errors);
errors = vErrors.length;
}
}
}
else {
const err7 = {instancePath:instancePath+"/docs",schemaPath:"#/oneOf/1/properties/docs/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
var _valid0 = _errs6 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid0 = true;
passing0 = 1;
}
const _errs14 = errors;
if(!(validate12(data, {instancePath,parentData,parentDataProperty,rootData}))){
vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);
errors = vErrors.length;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.text === undefined){
const err8 = {instancePath,schemaPath:"#/oneOf/2/required",keyword:"required",params:{missingProperty: "text"},message:"must have required property '"+"text"+"'"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data.kind !== undefined){
if("answer" !== data.kind){
const err9 = {instancePath:instancePath+"/kind",schemaPath:"#/oneOf/2/properties/kind/const",keyword:"const",params:{allowedValue: "answer"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.text !== undefined){
if(typeof data.text !== "string"){
const err10 = {instancePath:instancePath+"/text",schemaPath:"#/oneOf/2/properties/text/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
var _valid0 = _errs14 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 2];
}
else {
if(_valid0){
valid0 = true;
passing0 = 2;
}
}
}
if(!valid0){
const err11 = {instancePath,schemaPath:"#/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate11.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://hopscope.dev/schema/hopscope.trace/v1.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.schema === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "schema"},message:"must have required property '"+"schema"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.id === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.runId === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "runId"},message:"must have required property '"+"runId"+"'"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.createdAt === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "createdAt"},message:"must have required property '"+"createdAt"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.question === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "question"},message:"must have required property '"+"question"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.policy === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "policy"},message:"must have required property '"+"policy"+"'"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data.retriever === undefined){
const err6 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "retriever"},message:"must have required property '"+"retriever"+"'"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data.steps === undefined){
const err7 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "steps"},message:"must have required property '"+"steps"+"'"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data.answer === undefined){
const err8 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "answer"},message:"must have required property '"+"answer"+"'"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data.stopReason === undefined){
const err9 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "stopReason"},message:"must have required property '"+"stopReason"+"'"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data.outcome === undefined){
const err10 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "outcome"},message:"must have required property '"+"outcome"+"'"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data.rewards === undefined){
const err11 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "rewards"},message:"must have required property '"+"rewards"+"'"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(data.labels === undefined){
const err12 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "labels"},message:"must have required property '"+"labels"+"'"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data.usage === undefined){
const err13 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "usage"},message:"must have required property '"+"usage"+"'"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(data.timing === undefined){
const err14 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "timing"},message:"must have required property '"+"timing"+"'"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(data.raw === undefined){
const err15 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "raw"},message:"must have required property '"+"raw"+"'"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data.schema !== undefined){
if("hopscope.trace/v1" !== data.schema){
const err16 = {instancePath:instancePath+"/schema",schemaPath:"#/properties/schema/const",keyword:"const",params:{allowedValue: "hopscope.trace/v1"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.id !== undefined){
let data1 = data.id;
if(typeof data1 === "string"){
if(func2(data1) < 1){
const err17 = {instancePath:instancePath+"/id",schemaPath:"#/properties/id/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data.runId !== undefined){
if(typeof data.runId !== "string"){
const err19 = {instancePath:instancePath+"/runId",schemaPath:"#/properties/runId/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.createdAt !== undefined){
if(!(typeof data.createdAt === "string")){
const err20 = {instancePath:instancePath+"/createdAt",schemaPath:"#/properties/createdAt/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.question !== undefined){
if(typeof data.question !== "string"){
const err21 = {instancePath:instancePath+"/question",schemaPath:"#/properties/question/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data.gold !== undefined){
let data5 = data.gold;
if(Array.isArray(data5)){
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
if(typeof data5[i0] !== "string"){
const err22 = {instancePath:instancePath+"/gold/" + i0,schemaPath:"#/properties/gold/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
else {
const err23 = {instancePath:instancePath+"/gold",schemaPath:"#/properties/gold/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.goldDocs !== undefined){
let data7 = data.goldDocs;
if(Array.isArray(data7)){
const len1 = data7.length;
for(let i1=0; i1<len1; i1++){
if(typeof data7[i1] !== "string"){
const err24 = {instancePath:instancePath+"/goldDocs/" + i1,schemaPath:"#/properties/goldDocs/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
else {
const err25 = {instancePath:instancePath+"/goldDocs",schemaPath:"#/properties/goldDocs/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data.policy !== undefined){
let data9 = data.policy;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.endpoint === undefined){
const err26 = {instancePath:instancePath+"/policy",schemaPath:"#/properties/policy/required",keyword:"required",params:{missingProperty: "endpoint"},message:"must have required property '"+"endpoint"+"'"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data9.model === undefined){
const err27 = {instancePath:instancePath+"/policy",schemaPath:"#/properties/policy/required",keyword:"required",params:{missingProperty: "model"},message:"must have required property '"+"model"+"'"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(data9.template === undefined){
const err28 = {instancePath:instancePath+"/policy",schemaPath:"#/properties/policy/required",keyword:"required",params:{missingProperty: "template"},message:"must have required property '"+"template"+"'"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
if(data9.params === undefined){
const err29 = {instancePath:instancePath+"/policy",schemaPath:"#/properties/policy/required",keyword:"required",params:{missingProperty: "params"},message:"must have required property '"+"params"+"'"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
if(data9.endpoint !== undefined){
let data10 = data9.endpoint;
if(typeof data10 !== "string"){
const err30 = {instancePath:instancePath+"/policy/endpoint",schemaPath:"#/properties/policy/properties/endpoint/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
const _errs22 = errors;
const _errs23 = errors;
if(typeof data10 === "string"){
if(!pattern0.test(data10)){
const err31 = {};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
var valid6 = _errs23 === errors;
if(valid6){
const err32 = {instancePath:instancePath+"/policy/endpoint",schemaPath:"#/properties/policy/properties/endpoint/not",keyword:"not",params:{},message:"must NOT be valid"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
else {
errors = _errs22;
if(vErrors !== null){
if(_errs22){
vErrors.length = _errs22;
}
else {
vErrors = null;
}
}
}
}
if(data9.model !== undefined){
if(typeof data9.model !== "string"){
const err33 = {instancePath:instancePath+"/policy/model",schemaPath:"#/properties/policy/properties/model/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data9.template !== undefined){
if(typeof data9.template !== "string"){
const err34 = {instancePath:instancePath+"/policy/template",schemaPath:"#/properties/policy/properties/template/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data9.params !== undefined){
let data13 = data9.params;
if(!(data13 && typeof data13 == "object" && !Array.isArray(data13))){
const err35 = {instancePath:instancePath+"/policy/params",schemaPath:"#/properties/policy/properties/params/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
else {
const err36 = {instancePath:instancePath+"/policy",schemaPath:"#/properties/policy/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data.retriever !== undefined){
let data14 = data.retriever;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
if(data14.kind === undefined){
const err37 = {instancePath:instancePath+"/retriever",schemaPath:"#/properties/retriever/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(data14.topK === undefined){
const err38 = {instancePath:instancePath+"/retriever",schemaPath:"#/properties/retriever/required",keyword:"required",params:{missingProperty: "topK"},message:"must have required property '"+"topK"+"'"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
if(data14.kind !== undefined){
if(typeof data14.kind !== "string"){
const err39 = {instancePath:instancePath+"/retriever/kind",schemaPath:"#/properties/retriever/properties/kind/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data14.topK !== undefined){
let data16 = data14.topK;
if(!((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16)))){
const err40 = {instancePath:instancePath+"/retriever/topK",schemaPath:"#/properties/retriever/properties/topK/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
if(typeof data16 == "number"){
if(data16 < 0 || isNaN(data16)){
const err41 = {instancePath:instancePath+"/retriever/topK",schemaPath:"#/properties/retriever/properties/topK/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
}
if(data14.index !== undefined){
if(typeof data14.index !== "string"){
const err42 = {instancePath:instancePath+"/retriever/index",schemaPath:"#/properties/retriever/properties/index/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
}
else {
const err43 = {instancePath:instancePath+"/retriever",schemaPath:"#/properties/retriever/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data.steps !== undefined){
let data18 = data.steps;
if(Array.isArray(data18)){
const len2 = data18.length;
for(let i2=0; i2<len2; i2++){
if(!(validate11(data18[i2], {instancePath:instancePath+"/steps/" + i2,parentData:data18,parentDataProperty:i2,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err44 = {instancePath:instancePath+"/steps",schemaPath:"#/properties/steps/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data.answer !== undefined){
let data20 = data.answer;
if((typeof data20 !== "string") && (data20 !== null)){
const err45 = {instancePath:instancePath+"/answer",schemaPath:"#/properties/answer/type",keyword:"type",params:{type: schema11.properties.answer.type},message:"must be string,null"};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data.stopReason !== undefined){
let data21 = data.stopReason;
if(!(((((((data21 === "finished") || (data21 === "max_turns")) || (data21 === "length")) || (data21 === "eos_no_answer")) || (data21 === "empty_query")) || (data21 === "error")) || (data21 === "cancelled"))){
const err46 = {instancePath:instancePath+"/stopReason",schemaPath:"#/properties/stopReason/enum",keyword:"enum",params:{allowedValues: schema11.properties.stopReason.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data.outcome !== undefined){
let data22 = data.outcome;
if(data22 && typeof data22 == "object" && !Array.isArray(data22)){
for(const key0 in data22){
if(!(typeof data22[key0] == "number")){
const err47 = {instancePath:instancePath+"/outcome/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/outcome/additionalProperties/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
}
else {
const err48 = {instancePath:instancePath+"/outcome",schemaPath:"#/properties/outcome/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data.rewards !== undefined){
let data24 = data.rewards;
if(data24 && typeof data24 == "object" && !Array.isArray(data24)){
for(const key1 in data24){
if(!(typeof data24[key1] == "number")){
const err49 = {instancePath:instancePath+"/rewards/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/rewards/additionalProperties/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
}
else {
const err50 = {instancePath:instancePath+"/rewards",schemaPath:"#/definitions/rewards/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
if(data.labels !== undefined){
let data26 = data.labels;
if(Array.isArray(data26)){
const len3 = data26.length;
for(let i3=0; i3<len3; i3++){
let data27 = data26[i3];
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
if(data27.label === undefined){
const err51 = {instancePath:instancePath+"/labels/" + i3,schemaPath:"#/properties/labels/items/required",keyword:"required",params:{missingProperty: "label"},message:"must have required property '"+"label"+"'"};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(data27.explanation === undefined){
const err52 = {instancePath:instancePath+"/labels/" + i3,schemaPath:"#/properties/labels/items/required",keyword:"required",params:{missingProperty: "explanation"},message:"must have required property '"+"explanation"+"'"};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
if(data27.label !== undefined){
if(typeof data27.label !== "string"){
const err53 = {instancePath:instancePath+"/labels/" + i3+"/label",schemaPath:"#/properties/labels/items/properties/label/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data27.explanation !== undefined){
if(typeof data27.explanation !== "string"){
const err54 = {instancePath:instancePath+"/labels/" + i3+"/explanation",schemaPath:"#/properties/labels/items/properties/explanation/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
if(data27.step !== undefined){
let data30 = data27.step;
if(!((typeof data30 == "number") && (!(data30 % 1) && !isNaN(data30)))){
const err55 = {instancePath:instancePath+"/labels/" + i3+"/step",schemaPath:"#/properties/labels/items/properties/step/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
if(typeof data30 == "number"){
if(data30 < 0 || isNaN(data30)){
const err56 = {instancePath:instancePath+"/labels/" + i3+"/step",schemaPath:"#/properties/labels/items/properties/step/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
}
}
else {
const err57 = {instancePath:instancePath+"/labels/" + i3,schemaPath:"#/properties/labels/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
}
else {
const err58 = {instancePath:instancePath+"/labels",schemaPath:"#/properties/labels/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
if(data.usage !== undefined){
let data31 = data.usage;
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
if(data31.promptTokens !== undefined){
let data32 = data31.promptTokens;
if(!((typeof data32 == "number") && (!(data32 % 1) && !isNaN(data32)))){
const err59 = {instancePath:instancePath+"/usage/promptTokens",schemaPath:"#/properties/usage/properties/promptTokens/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
if(typeof data32 == "number"){
if(data32 < 0 || isNaN(data32)){
const err60 = {instancePath:instancePath+"/usage/promptTokens",schemaPath:"#/properties/usage/properties/promptTokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
}
if(data31.completionTokens !== undefined){
let data33 = data31.completionTokens;
if(!((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33)))){
const err61 = {instancePath:instancePath+"/usage/completionTokens",schemaPath:"#/properties/usage/properties/completionTokens/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
if(typeof data33 == "number"){
if(data33 < 0 || isNaN(data33)){
const err62 = {instancePath:instancePath+"/usage/completionTokens",schemaPath:"#/properties/usage/properties/completionTokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
}
}
else {
const err63 = {instancePath:instancePath+"/usage",schemaPath:"#/properties/usage/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
if(data.timing !== undefined){
let data34 = data.timing;
if(data34 && typeof data34 == "object" && !Array.isArray(data34)){
if(data34.totalMs !== undefined){
let data35 = data34.totalMs;
if(typeof data35 == "number"){
if(data35 < 0 || isNaN(data35)){
const err64 = {instancePath:instancePath+"/timing/totalMs",schemaPath:"#/properties/timing/properties/totalMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
else {
const err65 = {instancePath:instancePath+"/timing/totalMs",schemaPath:"#/properties/timing/properties/totalMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
if(data34.modelMs !== undefined){
let data36 = data34.modelMs;
if(typeof data36 == "number"){
if(data36 < 0 || isNaN(data36)){
const err66 = {instancePath:instancePath+"/timing/modelMs",schemaPath:"#/properties/timing/properties/modelMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
else {
const err67 = {instancePath:instancePath+"/timing/modelMs",schemaPath:"#/properties/timing/properties/modelMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
if(data34.retrievalMs !== undefined){
let data37 = data34.retrievalMs;
if(typeof data37 == "number"){
if(data37 < 0 || isNaN(data37)){
const err68 = {instancePath:instancePath+"/timing/retrievalMs",schemaPath:"#/properties/timing/properties/retrievalMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
else {
const err69 = {instancePath:instancePath+"/timing/retrievalMs",schemaPath:"#/properties/timing/properties/retrievalMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
}
else {
const err70 = {instancePath:instancePath+"/timing",schemaPath:"#/properties/timing/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data.raw !== undefined){
if(typeof data.raw !== "string"){
const err71 = {instancePath:instancePath+"/raw",schemaPath:"#/properties/raw/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data.error !== undefined){
if(typeof data.error !== "string"){
const err72 = {instancePath:instancePath+"/error",schemaPath:"#/properties/error/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data.source !== undefined){
let data40 = data.source;
if(data40 && typeof data40 == "object" && !Array.isArray(data40)){
if(data40.format === undefined){
const err73 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/required",keyword:"required",params:{missingProperty: "format"},message:"must have required property '"+"format"+"'"};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
if(data40.format !== undefined){
if(typeof data40.format !== "string"){
const err74 = {instancePath:instancePath+"/source/format",schemaPath:"#/properties/source/properties/format/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data40.file !== undefined){
if(typeof data40.file !== "string"){
const err75 = {instancePath:instancePath+"/source/file",schemaPath:"#/properties/source/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
if(data40.line !== undefined){
let data43 = data40.line;
if(!((typeof data43 == "number") && (!(data43 % 1) && !isNaN(data43)))){
const err76 = {instancePath:instancePath+"/source/line",schemaPath:"#/properties/source/properties/line/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
else {
const err77 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
if(data.dataset !== undefined){
if(typeof data.dataset !== "string"){
const err78 = {instancePath:instancePath+"/dataset",schemaPath:"#/properties/dataset/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
if(data.metricDefinition !== undefined){
let data45 = data.metricDefinition;
if(!(((data45 === "r1-searcher") || (data45 === "search-r1")) || (data45 === "flashrag"))){
const err79 = {instancePath:instancePath+"/metricDefinition",schemaPath:"#/properties/metricDefinition/enum",keyword:"enum",params:{allowedValues: schema11.properties.metricDefinition.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
if(data.recordedScores !== undefined){
let data46 = data.recordedScores;
if(data46 && typeof data46 == "object" && !Array.isArray(data46)){
for(const key2 in data46){
if(!(typeof data46[key2] == "number")){
const err80 = {instancePath:instancePath+"/recordedScores/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/recordedScores/additionalProperties/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
}
else {
const err81 = {instancePath:instancePath+"/recordedScores",schemaPath:"#/properties/recordedScores/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
if(data.forkOf !== undefined){
let data48 = data.forkOf;
if(data48 && typeof data48 == "object" && !Array.isArray(data48)){
if(data48.id === undefined){
const err82 = {instancePath:instancePath+"/forkOf",schemaPath:"#/properties/forkOf/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
if(data48.step === undefined){
const err83 = {instancePath:instancePath+"/forkOf",schemaPath:"#/properties/forkOf/required",keyword:"required",params:{missingProperty: "step"},message:"must have required property '"+"step"+"'"};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
if(data48.id !== undefined){
if(typeof data48.id !== "string"){
const err84 = {instancePath:instancePath+"/forkOf/id",schemaPath:"#/properties/forkOf/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data48.step !== undefined){
let data50 = data48.step;
if(!((typeof data50 == "number") && (!(data50 % 1) && !isNaN(data50)))){
const err85 = {instancePath:instancePath+"/forkOf/step",schemaPath:"#/properties/forkOf/properties/step/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
if(typeof data50 == "number"){
if(data50 < 0 || isNaN(data50)){
const err86 = {instancePath:instancePath+"/forkOf/step",schemaPath:"#/properties/forkOf/properties/step/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
}
if(data48.contextRebuilt !== undefined){
if(typeof data48.contextRebuilt !== "boolean"){
const err87 = {instancePath:instancePath+"/forkOf/contextRebuilt",schemaPath:"#/properties/forkOf/properties/contextRebuilt/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
if(data48.retriever !== undefined){
let data52 = data48.retriever;
if(data52 && typeof data52 == "object" && !Array.isArray(data52)){
if(data52.original === undefined){
const err88 = {instancePath:instancePath+"/forkOf/retriever",schemaPath:"#/properties/forkOf/properties/retriever/required",keyword:"required",params:{missingProperty: "original"},message:"must have required property '"+"original"+"'"};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
if(data52.fork === undefined){
const err89 = {instancePath:instancePath+"/forkOf/retriever",schemaPath:"#/properties/forkOf/properties/retriever/required",keyword:"required",params:{missingProperty: "fork"},message:"must have required property '"+"fork"+"'"};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
if(data52.original !== undefined){
if(typeof data52.original !== "string"){
const err90 = {instancePath:instancePath+"/forkOf/retriever/original",schemaPath:"#/properties/forkOf/properties/retriever/properties/original/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
if(data52.fork !== undefined){
if(typeof data52.fork !== "string"){
const err91 = {instancePath:instancePath+"/forkOf/retriever/fork",schemaPath:"#/properties/forkOf/properties/retriever/properties/fork/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
}
else {
const err92 = {instancePath:instancePath+"/forkOf/retriever",schemaPath:"#/properties/forkOf/properties/retriever/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
}
else {
const err93 = {instancePath:instancePath+"/forkOf",schemaPath:"#/properties/forkOf/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
if(data.training !== undefined){
let data55 = data.training;
if(data55 && typeof data55 == "object" && !Array.isArray(data55)){
if(data55.step === undefined){
const err94 = {instancePath:instancePath+"/training",schemaPath:"#/properties/training/required",keyword:"required",params:{missingProperty: "step"},message:"must have required property '"+"step"+"'"};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
if(data55.group === undefined){
const err95 = {instancePath:instancePath+"/training",schemaPath:"#/properties/training/required",keyword:"required",params:{missingProperty: "group"},message:"must have required property '"+"group"+"'"};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
if(data55.step !== undefined){
let data56 = data55.step;
if(!((typeof data56 == "number") && (!(data56 % 1) && !isNaN(data56)))){
const err96 = {instancePath:instancePath+"/training/step",schemaPath:"#/properties/training/properties/step/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
if(data55.group !== undefined){
if(typeof data55.group !== "string"){
const err97 = {instancePath:instancePath+"/training/group",schemaPath:"#/properties/training/properties/group/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
if(data55.trainerScore !== undefined){
if(!(typeof data55.trainerScore == "number")){
const err98 = {instancePath:instancePath+"/training/trainerScore",schemaPath:"#/properties/training/properties/trainerScore/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data55.extras !== undefined){
let data59 = data55.extras;
if(!(data59 && typeof data59 == "object" && !Array.isArray(data59))){
const err99 = {instancePath:instancePath+"/training/extras",schemaPath:"#/properties/training/properties/extras/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
}
else {
const err100 = {instancePath:instancePath+"/training",schemaPath:"#/properties/training/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
}
else {
const err101 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}
