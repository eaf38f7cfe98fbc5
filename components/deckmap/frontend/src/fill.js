// Area fills as one triangle mesh with a colour per vertex (topology "triangle-list"), one draw call.
//
// deck.gl's SolidPolygonLayer did the same with a long vertex shader (64-bit position parts, normals,
// elevation, lighting) and an attribute pass per polygon object on every colour change. Here the vertex shader
// only projects a point and passes its colour on, so under software WebGL (SwiftShader) a national frame
// (17,040 areas, 67,000 triangles) costs ~120 ms of GPU time instead of ~170, a colour change rewrites one
// RGBA quadruple per vertex from the class index per area and the palette (typed arrays, no per-area objects),
// and the first frame has a shorter shader to compile (benchmarks/bench_deckmap.py, same machine: national
// repaint 363 -> 282 ms). Picking (hover tooltip, click, highlight) uses deck.gl's own picking module with the
// area index per vertex, so a hovered area lights up whole, with all its parts.
//
// Triangles are made once per geometry (mesh.js: earcut, as deck.gl itself tessellates).
import {Layer, picking, project32} from "@deck.gl/core";
import {Geometry, Model} from "@luma.gl/engine";

const vs = `\
#version 300 es
#define SHADER_NAME stapelkaart-fill-layer-vs
in vec2 positions;
in vec4 colors;
in float areas;
out vec4 vColor;
void main(void) {
  vColor = colors;
  picking_setPickingColor(picking_getPickingColorFromIndex(areas));
  gl_Position = project_position_to_clipspace(vec3(positions, 0.0), vec3(0.0), vec3(0.0));
}
`;

const fs = `\
#version 300 es
#define SHADER_NAME stapelkaart-fill-layer-fs
precision highp float;
in vec4 vColor;
out vec4 fragColor;
void main(void) {
  fragColor = picking_filterColor(vColor);
}
`;

export class FillLayer extends Layer {
  getShaders() {
    return super.getShaders({vs, fs, modules: [project32, picking]});
  }

  initializeState() {
    this.state.model = this._getModel();
  }

  updateState(params) {
    super.updateState(params);
    const {props, oldProps} = params;
    if (props.mesh !== oldProps.mesh) {
      this.state.model?.destroy();
      this.state.model = this._getModel();
    } else if (props.colors !== oldProps.colors) {
      this.state.colorBuffer.write(props.colors);
    }
  }

  finalizeState(context) {
    super.finalizeState(context);
    this.state.model?.destroy();
    this.state.colorBuffer?.destroy();
  }

  getPickingInfo({info}) {
    // the picked index is the area's (order of the file's codes)
    info.object = info.index >= 0 ? {area: info.index} : null;
    return info;
  }

  draw() {
    this.state.model.draw(this.context.renderPass);
  }

  _getModel() {
    const device = this.context.device;
    const {mesh, colors} = this.props;
    this.state.colorBuffer?.destroy();
    this.state.colorBuffer = device.createBuffer({data: colors});
    return new Model(device, {
      ...this.getShaders(),
      id: this.props.id,
      bufferLayout: [{name: "colors", format: "unorm8x4"}],
      geometry: new Geometry({
        topology: "triangle-list",
        attributes: {positions: {size: 2, value: mesh.xy}, areas: {size: 1, value: mesh.areas}},
        indices: {size: 1, value: mesh.indices},
      }),
      attributes: {colors: this.state.colorBuffer},
      isInstanced: false,
    });
  }
}

FillLayer.layerName = "StapelkaartFillLayer";
FillLayer.defaultProps = {
  mesh: {type: "object", value: null, compare: false},
  colors: {type: "object", value: null, compare: false},
};
