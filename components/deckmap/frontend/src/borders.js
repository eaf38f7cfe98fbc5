// Area borders as 1-pixel GL lines (topology "line-list"), one draw call for every ring of the map.
//
// deck.gl's PathLayer draws each segment as an instanced, mitred strip with a heavy vertex shader; for the
// ~218,000 vertices of a national buurt map that costs seconds per frame under software WebGL (SwiftShader),
// on every repaint. Borders here are always 1 pixel wide and one colour, which plain GL lines draw directly:
// the vertex shader only projects a point, and the positions are the decoded geometry's own Float32Array
// (no copy), indexed by segment pairs built once per geometry (geometry.js: borderIndex).
import {Layer, project32} from "@deck.gl/core";
import {Geometry, Model} from "@luma.gl/engine";

const vs = `\
#version 300 es
#define SHADER_NAME stapelkaart-border-layer-vs
in vec2 positions;
void main(void) {
  gl_Position = project_position_to_clipspace(vec3(positions, 0.0), vec3(0.0), vec3(0.0));
}
`;

const fs = `\
#version 300 es
#define SHADER_NAME stapelkaart-border-layer-fs
precision highp float;
out vec4 fragColor;
void main(void) {
  fragColor = border.color;
}
`;

// the colour as a uniform block (luma.gl 9 shader module), as deck.gl's own layers declare theirs
const borderUniforms = {
  name: "border",
  source: "",
  vs: "",
  fs: "layout(std140) uniform borderUniforms {\n  vec4 color;\n} border;\n",
  uniformTypes: {color: "vec4<f32>"},
};

export class BorderLayer extends Layer {
  getShaders() {
    return super.getShaders({vs, fs, modules: [project32, borderUniforms]});
  }

  initializeState() {
    this.state.model = this._getModel();
  }

  updateState(params) {
    super.updateState(params);
    const {props, oldProps} = params;
    if (props.positions !== oldProps.positions || props.indices !== oldProps.indices) {
      this.state.model?.destroy();
      this.state.model = this._getModel();
    }
  }

  draw() {
    const c = this.props.color;
    this.state.model.shaderInputs.setProps({border: {color: [c[0] / 255, c[1] / 255, c[2] / 255, (c[3] ?? 255) / 255]}});
    this.state.model.draw(this.context.renderPass);
  }

  _getModel() {
    return new Model(this.context.device, {
      ...this.getShaders(),
      id: this.props.id,
      geometry: new Geometry({
        topology: "line-list",
        attributes: {positions: {size: 2, value: this.props.positions}},
        indices: {size: 1, value: this.props.indices},
      }),
      isInstanced: false,
    });
  }
}

BorderLayer.layerName = "StapelkaartBorderLayer";
BorderLayer.defaultProps = {
  positions: {type: "object", value: null, compare: false},
  indices: {type: "object", value: null, compare: false},
  color: {type: "color", value: [255, 255, 255, 200]},
};
